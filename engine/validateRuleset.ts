import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import rulesetSchema from '../rulesets/schema/ruleset.schema.json' with { type: 'json' };
import { resolveParams, type AnySignal, type SubjectKind } from '../sdk/index.ts';
import { compileConditions, type CompiledConditions } from './conditions/compileConditions.ts';
import { compileExpression, type CompiledExpression } from './expression/compileExpression.ts';
import type { RulesetAnalysis } from './plan.ts';
import { pointerOf, type RulesetProblem } from './problems.ts';
import { limitProblems } from './rulesetLimits.ts';
import type { SignalRegistry } from './registry.ts';
import { curveProblems } from './strengthCurve.ts';
import { ACTION_FACTS, EXPRESSION_ROOTS, type Ruleset } from './ruleset.ts';

const validateShape = new Ajv2020({ allErrors: true, strict: false }).compile(rulesetSchema);

/**
 * Validate stage (parse and check): the first of the engine's stages, then compile
 * (`compileRuleset.ts`) and evaluate (`evaluate/decide.ts`). Reads a ruleset body for problems
 * only: it resolves no weight, curve or zone (compile does).
 *
 * Checks a ruleset in two passes and returns every problem at once, each with a JSON pointer:
 * the JSON Schema (shape), then meaning (unknown signals, params against each signal's own
 * schema, zone order, strength curves, JSONata syntax with positions, derived-fact references,
 * condition trees, duplicate ids). Warnings (deprecated signals, kinds nothing applies to) do not
 * block.
 */
export function validateRuleset(input: unknown, registry: SignalRegistry): RulesetProblem[] {
  return analyzeRuleset(input, registry).problems;
}

/**
 * `validateRuleset`'s problems with what the checks had to parse to find them (each signal's
 * resolved params, the compiled expressions and condition trees), which compile builds on.
 */
export function analyzeRuleset(input: unknown, registry: SignalRegistry): RulesetAnalysis {
  const analysis: RulesetAnalysis = { problems: [], signals: [], derived: [], customSignals: [], actionRules: [] };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    analysis.problems.push({ pointer: '', code: 'schema', severity: 'error', message: 'a ruleset must be a JSON object' });
    return analysis;
  }
  const ruleset = input as Ruleset;
  // Too large or too deep to check further: say so, and read no more of it.
  const tooLarge = limitProblems(ruleset);
  if (tooLarge.length > 0) {
    analysis.problems.push(...tooLarge);
    return analysis;
  }
  if (!validateShape(ruleset)) analysis.problems.push(...schemaProblems(validateShape.errors ?? []));
  // Meaning is checked on whatever parts have the right shape, so the editor sees all problems.
  checkZones(ruleset, analysis);
  checkSignals(ruleset, registry, analysis);
  checkDerived(ruleset, analysis);
  checkCustomSignals(ruleset, registry, analysis);
  checkActionRules(ruleset, analysis);
  if (!analysis.problems.some((p) => p.severity === 'error')) analysis.ruleset = ruleset;
  analysis.problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
  return analysis;
}

function error(pointer: string, code: string, message: string, position?: number): RulesetProblem {
  return position === undefined
    ? { pointer, code, message, severity: 'error' }
    : { pointer, code, message, severity: 'error', position };
}

function warning(pointer: string, code: string, message: string): RulesetProblem {
  return { pointer, code, message, severity: 'warning' };
}

/**
 * Ajv reports every failed branch of a oneOf/anyOf; condition trees are checked precisely by
 * the condition compiler instead, and branch summaries are dropped when a deeper error exists.
 */
function schemaProblems(errors: ErrorObject[]): RulesetProblem[] {
  const seen = new Set<string>();
  const problems: RulesetProblem[] = [];
  const relevant = errors.filter((e) => !/^\/actions\/\d+\/conditions/.test(e.instancePath) && e.keyword !== 'if');
  for (const e of relevant) {
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && relevant.some((o) => o !== e && o.instancePath.startsWith(e.instancePath))) {
      continue;
    }
    const problem = describeSchemaError(e);
    const key = `${problem.pointer} ${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describeSchemaError(e: ErrorObject): RulesetProblem {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return error(`${e.instancePath}/${String(params.additionalProperty)}`, 'schema', `unknown property "${String(params.additionalProperty)}"`);
    case 'required':
      return error(`${e.instancePath}/${String(params.missingProperty)}`, 'schema', `missing required property "${String(params.missingProperty)}"`);
    case 'enum':
      return error(e.instancePath, 'schema', `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'propertyNames':
      return error(`${e.instancePath}/${String(params.propertyName)}`, 'schema', `"${String(params.propertyName)}" is not a valid name here`);
    case 'pattern':
      return error(e.instancePath, 'schema', `"${String(e.data)}" does not match the expected form ${String(params.pattern)}`);
    default:
      return error(e.instancePath, 'schema', e.message ?? e.keyword);
  }
}

function checkZones(ruleset: Ruleset, analysis: RulesetAnalysis): void {
  const zones = ruleset.zones;
  const cap = ruleset.scoring?.cap ?? 100;
  if (typeof zones?.medium === 'number' && typeof zones?.high === 'number') checkZoneOrder(zones, '/zones', cap, '', analysis);
  const byKind = zones?.byKind;
  if (byKind === null || typeof byKind !== 'object') return;
  const kinds = scoredKinds(ruleset);
  for (const kind of ['order', 'return', 'refund'] as const) {
    const own = byKind[kind];
    if (own === null || typeof own !== 'object') continue;
    const pointer = `/zones/byKind/${kind}`;
    if (typeof own.medium === 'number' && typeof own.high === 'number') checkZoneOrder(own, pointer, cap, ` of ${kind}s`, analysis);
    if (kinds.length > 0 && !kinds.includes(kind)) {
      analysis.problems.push(warning(pointer, 'never-applies', `zones for ${kind}s, which this ruleset does not score`));
    }
  }
}

/** medium > 0, high > medium, high ≤ cap: for the ruleset's zones and each kind's own. */
function checkZoneOrder(zones: { medium: number; high: number }, pointer: string, cap: number, of: string, analysis: RulesetAnalysis): void {
  if (zones.medium <= 0) {
    analysis.problems.push(error(`${pointer}/medium`, 'zones-order', `the MEDIUM zone${of} must start above 0 (got ${zones.medium}), or every score would be MEDIUM`));
  }
  if (zones.medium >= zones.high) {
    analysis.problems.push(error(`${pointer}/high`, 'zones-order', `the HIGH zone${of} must start above the MEDIUM zone (medium ${zones.medium}, high ${zones.high})`));
  }
  if (zones.high > cap) {
    analysis.problems.push(error(`${pointer}/high`, 'zones-order', `the HIGH zone${of} starts at ${zones.high}, above the score cap ${cap}: nothing could ever be HIGH`));
  }
}

/** Each configured signal: registered, params valid against its schema, per-kind weights and curves for kinds it can score. */
function checkSignals(ruleset: Ruleset, registry: SignalRegistry, analysis: RulesetAnalysis): void {
  const entries = ruleset.signals;
  if (entries === null || typeof entries !== 'object') return;
  const kinds = scoredKinds(ruleset);
  for (const id of Object.keys(entries).sort()) {
    const config = entries[id] ?? {};
    const pointer = pointerOf('signals', id);
    const signal = registry.get(id);
    if (!signal) {
      analysis.problems.push(error(pointer, 'unknown-signal', unknownSignalMessage(id, registry)));
      continue;
    }
    const resolved = resolveParams(signal, config.params);
    if (!resolved.ok) {
      for (const p of resolved.problems) {
        analysis.problems.push(error(`${pointer}/params${p.pointer}`, 'bad-params', `${id}: ${p.message}`));
      }
      continue;
    }
    if (signal.meta.deprecated) {
      const instead = signal.meta.replacedBy?.length ? `; use ${signal.meta.replacedBy.join(' or ')} instead` : '';
      analysis.problems.push(warning(pointer, 'deprecated-signal', `${id} is deprecated${instead}`));
    }
    if (kinds.length > 0 && !signal.meta.appliesTo.some((k) => kinds.includes(k))) {
      analysis.problems.push(
        warning(pointer, 'never-applies', `${id} judges ${signal.meta.appliesTo.join('/')} events, which this ruleset does not score`),
      );
    }
    if (config.weightByKind !== null && typeof config.weightByKind === 'object') {
      for (const kind of ['order', 'return', 'refund'] as const) {
        const own = config.weightByKind[kind];
        if (typeof own !== 'number') continue;
        if (!signal.meta.appliesTo.includes(kind)) {
          analysis.problems.push(warning(`${pointer}/weightByKind/${kind}`, 'never-applies', `${id} does not judge ${kind}s: this weight is never used`));
        } else if (kinds.length > 0 && !kinds.includes(kind)) {
          analysis.problems.push(warning(`${pointer}/weightByKind/${kind}`, 'never-applies', `this ruleset does not score ${kind}s: this weight is never used`));
        }
      }
    }
    checkCurves(id, signal, config, kinds, pointer, analysis);
    analysis.signals.push({ id, signal, params: resolved.params as Readonly<Record<string, unknown>> });
  }
}

/**
 * A signal's strength curves (`curve`, `curveByKind`): each checked for what the schema cannot
 * say (from 0 to 1, sorted, never going down), errors at the offending point's pointer; a kind's
 * curve for a kind the signal does not judge, or the ruleset does not score, is a warning.
 */
function checkCurves(
  id: string,
  signal: AnySignal,
  config: Ruleset['signals'][string],
  kinds: SubjectKind[],
  pointer: string,
  analysis: RulesetAnalysis,
): void {
  const check = (curve: unknown, at: string): void => {
    if (!Array.isArray(curve)) return;
    for (const p of curveProblems(curve)) analysis.problems.push(error(`${at}${p.pointer}`, 'bad-curve', `${id}: ${p.message}`));
  };
  check(config.curve, `${pointer}/curve`);
  if (config.curveByKind !== null && typeof config.curveByKind === 'object') {
    for (const kind of ['order', 'return', 'refund'] as const) {
      const own = config.curveByKind[kind];
      if (!Array.isArray(own)) continue;
      check(own, `${pointer}/curveByKind/${kind}`);
      if (!signal.meta.appliesTo.includes(kind)) {
        analysis.problems.push(warning(`${pointer}/curveByKind/${kind}`, 'never-applies', `${id} does not judge ${kind}s: this curve is never used`));
      } else if (kinds.length > 0 && !kinds.includes(kind)) {
        analysis.problems.push(warning(`${pointer}/curveByKind/${kind}`, 'never-applies', `this ruleset does not score ${kind}s: this curve is never used`));
      }
    }
  }
}

function unknownSignalMessage(id: string, registry: SignalRegistry): string {
  const ids = registry.list().map((s) => s.meta.id);
  const close = ids
    .map((candidate) => ({ candidate, distance: editDistance(id, candidate) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(id.length / 4)))
    .sort((a, b) => a.distance - b.distance)[0];
  return `unknown signal "${id}"${close ? `; did you mean "${close.candidate}"?` : ''} (${ids.length} signals are registered)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Compiles one expression, turning its failure into a problem at `pointer`. */
function tryExpression(source: unknown, pointer: string, analysis: RulesetAnalysis): CompiledExpression | undefined {
  if (typeof source !== 'string') return undefined;
  try {
    return compileExpression(source, { knownRoots: EXPRESSION_ROOTS });
  } catch (e) {
    const failure = e as { message?: string; position?: number; code?: string };
    analysis.problems.push(error(pointer, 'expression', `${failure.message ?? String(e)}`, failure.position));
    return undefined;
  }
}

/** Each derived fact's expression: its syntax, and that it reads only derived facts defined above it. */
function checkDerived(ruleset: Ruleset, analysis: RulesetAnalysis): void {
  const derived = ruleset.derived;
  if (derived === null || typeof derived !== 'object') return;
  const defined = new Set<string>();
  const names = Object.keys(derived);
  for (const name of names) {
    const pointer = pointerOf('derived', name);
    const compiled = tryExpression(derived[name], pointer, analysis);
    if (compiled) {
      for (const reference of derivedReferences(compiled)) {
        if (reference === name) {
          analysis.problems.push(error(pointer, 'derived-cycle', `derived.${name} refers to itself`));
        } else if (!defined.has(reference)) {
          const later = names.includes(reference);
          analysis.problems.push(
            error(
              pointer,
              later ? 'derived-order' : 'unknown-derived',
              later
                ? `derived.${name} uses derived.${reference}, which is defined after it; move ${reference} above ${name}`
                : `derived.${name} uses derived.${reference}, which the ruleset does not define`,
            ),
          );
        }
      }
      analysis.derived.push([name, compiled]);
    }
    defined.add(name);
  }
}

/** Names of ruleset-derived facts an expression reads (`derived.x`). Context-derived facts are allowed too. */
function derivedReferences(expression: CompiledExpression): string[] {
  return expression.paths.filter((p) => p.startsWith('derived.')).map((p) => p.split('.')[1]);
}

/** Each custom signal: a unique id (no registered signal's either) and the syntax of its expressions. */
function checkCustomSignals(ruleset: Ruleset, registry: SignalRegistry, analysis: RulesetAnalysis): void {
  if (!Array.isArray(ruleset.customSignals)) return;
  const seen = new Set<string>();
  ruleset.customSignals.forEach((config, index) => {
    const pointer = pointerOf('customSignals', index);
    if (config === null || typeof config !== 'object') return;
    if (typeof config.id === 'string') {
      if (seen.has(config.id)) analysis.problems.push(error(`${pointer}/id`, 'duplicate-id', `custom signal id "${config.id}" is used twice`));
      if (registry.has(config.id)) analysis.problems.push(error(`${pointer}/id`, 'duplicate-id', `"${config.id}" is already a registered signal`));
      seen.add(config.id);
    }
    const when = tryExpression(config.when, `${pointer}/when`, analysis);
    const strength = config.strength === undefined ? undefined : tryExpression(config.strength, `${pointer}/strength`, analysis);
    const evidence: [string, CompiledExpression][] = [];
    for (const [name, source] of Object.entries(config.evidence ?? {})) {
      const compiled = tryExpression(source, `${pointer}/evidence/${name}`, analysis);
      if (compiled) evidence.push([name, compiled]);
    }
    if (when) analysis.customSignals.push({ config, when, strength, evidence });
  });
}

/** Each action rule: a unique id, kinds the ruleset scores, known facts and a condition tree that compiles. */
function checkActionRules(ruleset: Ruleset, analysis: RulesetAnalysis): void {
  if (!Array.isArray(ruleset.actions)) return;
  const seen = new Set<string>();
  const kinds = scoredKinds(ruleset);
  ruleset.actions.forEach((rule, index) => {
    const pointer = pointerOf('actions', index);
    if (rule === null || typeof rule !== 'object') return;
    if (typeof rule.id === 'string') {
      if (seen.has(rule.id)) analysis.problems.push(error(`${pointer}/id`, 'duplicate-id', `action rule id "${rule.id}" is used twice`));
      seen.add(rule.id);
    }
    if (Array.isArray(rule.on) && kinds.length > 0 && !rule.on.some((k) => kinds.includes(k))) {
      analysis.problems.push(warning(`${pointer}/on`, 'never-applies', `runs on ${rule.on.join('/')}, which this ruleset does not score`));
    }
    if (rule.conditions === null || typeof rule.conditions !== 'object') return;
    const factProblems = unknownFacts(rule.conditions, `${pointer}/conditions`);
    analysis.problems.push(...factProblems);
    let conditions: CompiledConditions;
    try {
      conditions = compileConditions(rule.conditions as never, `${pointer}/conditions`);
    } catch (e) {
      for (const problem of conditionProblems(e)) analysis.problems.push(error(problem.pointer, 'condition', problem.message));
      return;
    }
    analysis.actionRules.push({ rule, conditions });
  });
}

function conditionProblems(e: unknown): { pointer: string; message: string }[] {
  const failure = e as { errors?: { pointer: string; message: string }[]; pointer?: string; message?: string };
  if (Array.isArray(failure.errors)) return failure.errors.map((x) => ({ pointer: x.pointer, message: x.message }));
  return [{ pointer: failure.pointer ?? '', message: failure.message ?? String(e) }];
}

const KNOWN_FACTS: ReadonlySet<string> = new Set(ACTION_FACTS);

/** Facts named in a condition tree (leaves and `value: { fact }` references) that do not exist. */
function unknownFacts(node: unknown, pointer: string): RulesetProblem[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((child, i) => unknownFacts(child, `${pointer}/${i}`));
  const record = node as Record<string, unknown>;
  const problems: RulesetProblem[] = [];
  for (const key of ['all', 'any', 'not'] as const) {
    if (key in record) problems.push(...unknownFacts(record[key], `${pointer}/${key}`));
  }
  const check = (fact: unknown, at: string) => {
    if (typeof fact === 'string' && !KNOWN_FACTS.has(fact)) {
      problems.push(error(at, 'unknown-fact', `unknown fact "${fact}"; conditions can use ${ACTION_FACTS.join(', ')}`));
    }
  };
  check(record.fact, `${pointer}/fact`);
  if (typeof record.path === 'string' && record.path.includes('\\')) {
    problems.push(
      error(`${pointer}/path`, 'condition', `JSONPath has no backslash escapes, so "${record.path}" would never match; write ids with dots in brackets, e.g. $['velocity.return-rate'].status`),
    );
  }
  const value = record.value as { fact?: unknown } | null | undefined;
  if (value !== null && typeof value === 'object' && 'fact' in value) check(value.fact, `${pointer}/value/fact`);
  return problems;
}

/** The valid kinds the ruleset scores; wrong entries are schema errors already, not warnings. */
function scoredKinds(ruleset: Ruleset): SubjectKind[] {
  const known: readonly string[] = ['order', 'return', 'refund'];
  return Array.isArray(ruleset.appliesTo) ? ruleset.appliesTo.filter((k) => known.includes(k)) : [];
}

import { compileRead, type Facts } from './factReaders.ts';
import { cloneLikeRuleResult } from './library.ts';
import {
  compileOperator,
  DECORATOR_NAMES,
  known,
  OPERATOR_NAMES,
  parseOperator,
  UNKNOWN,
  type ParsedOperator,
} from './operators.ts';

export type { Facts } from './factReaders.ts';

// ---------------------------------------------------------------- types

export type FactReference = { fact: string; path?: string; params?: Record<string, unknown> };
export type LeafCondition = {
  fact: string;
  operator: string;
  /** A literal, or a FactReference (any object with an own "fact" key). */
  value: unknown;
  path?: string;
  /** Accepted for json-rules-engine compatibility; ignored (our facts are constants). */
  params?: Record<string, unknown>;
  name?: string;
};
export type AllCondition = { all: Condition[]; name?: string };
export type AnyCondition = { any: Condition[]; name?: string };
export type NotCondition = { not: Condition; name?: string };
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | TopLevelCondition;

export type LeafTrace = LeafCondition & { factResult: unknown; valueResult: unknown; result: boolean };
export type AllTrace = { all: ConditionTrace[]; name?: string; result: boolean };
export type AnyTrace = { any: ConditionTrace[]; name?: string; result: boolean };
export type NotTrace = { not: ConditionTrace; name?: string; result: boolean };
export type ConditionTrace = LeafTrace | AllTrace | AnyTrace | NotTrace;

export type CompiledConditions = {
  /** Fast path: synchronous, no promises, no allocation for plain leaves. Throws ConditionEvaluationError. */
  evaluate(facts: Facts): boolean;
  /** Evaluates every leaf and returns the tree annotated like json-rules-engine's RuleResult.conditions. */
  explain(facts: Facts): ConditionTrace;
};

export type ConditionErrorCode =
  | 'invalid-root'
  | 'invalid-condition'
  | 'ambiguous-condition'
  | 'invalid-operand'
  | 'condition-reference-unsupported'
  | 'priority-unsupported'
  | 'unknown-key'
  | 'missing-fact'
  | 'invalid-fact'
  | 'missing-operator'
  | 'invalid-operator'
  | 'unknown-operator'
  | 'unknown-decorator'
  | 'missing-value'
  | 'invalid-path';

// ---------------------------------------------------------------- errors

export class ConditionCompileError extends Error {
  override readonly name = 'ConditionCompileError';
  readonly code: ConditionErrorCode;
  /** JSON pointer into the conditions, prefixed with compileConditions' `pointer` argument. */
  readonly pointer: string;

  constructor(code: ConditionErrorCode, pointer: string, message: string) {
    super(message);
    this.code = code;
    this.pointer = pointer;
  }
}

/** Thrown by compileConditions with every problem found, in document order. */
export class ConditionCompileErrors extends Error {
  override readonly name = 'ConditionCompileErrors';
  readonly errors: readonly ConditionCompileError[];

  constructor(errors: readonly ConditionCompileError[]) {
    const lines = errors.map((error) => `  ${error.pointer || '/'}: ${error.message}`);
    super(`invalid conditions (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.errors = errors;
  }
}

/** Thrown by evaluate/explain where json-rules-engine would reject; `pointer` is the failing leaf. */
export class ConditionEvaluationError extends Error {
  override readonly name = 'ConditionEvaluationError';
  readonly pointer: string;

  constructor(pointer: string, cause: unknown) {
    super(`condition ${pointer || '/'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.pointer = pointer;
  }
}

// ---------------------------------------------------------------- entry point

type Problems = ConditionCompileError[];
type Predicate = (facts: Facts) => boolean;
type Node = { readonly evaluate: Predicate; readonly explain: (facts: Facts) => ConditionTrace; readonly mayThrow: boolean };
type JsonObject = Record<string, unknown>;

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
type BooleanKey = (typeof BOOLEAN_KEYS)[number];
const LEAF_KEYS: ReadonlySet<string> = new Set(['fact', 'operator', 'value', 'path', 'params', 'name']);
const FACT_REFERENCE_KEYS: ReadonlySet<string> = new Set(['fact', 'path', 'params']);
const REPORTED_ELSEWHERE: ReadonlySet<string> = new Set(['condition', 'priority']);

/**
 * Compiles json-rules-engine conditions to synchronous predicates.
 * @throws ConditionCompileErrors listing every problem, each with a JSON pointer.
 */
export function compileConditions(conditions: TopLevelCondition, pointer = ''): CompiledConditions {
  const problems: Problems = [];
  const root = compileRoot(conditions, pointer, problems);
  if (!root || problems.length > 0) throw new ConditionCompileErrors(problems);
  return { evaluate: withPointer(root.evaluate, pointer), explain: withPointer(root.explain, pointer) };
}

// ---------------------------------------------------------------- validation + compilation

function compileRoot(raw: unknown, pointer: string, problems: Problems): Node | undefined {
  const hasBooleanKey = isObject(raw) && BOOLEAN_KEYS.some((key) => Object.hasOwn(raw, key));
  if (hasBooleanKey || (isObject(raw) && Object.hasOwn(raw, 'condition'))) return compileNode(raw, pointer, problems);
  report(problems, 'invalid-root', pointer, 'conditions root must be an object with one of "all", "any" or "not"');
  return undefined;
}

function compileNode(raw: unknown, pointer: string, problems: Problems): Node | undefined {
  if (!isObject(raw)) {
    report(problems, 'invalid-condition', pointer, `a condition must be an object, got ${describe(raw)}`);
    return undefined;
  }
  reportUnsupported(raw, pointer, problems);
  const booleanKeys = BOOLEAN_KEYS.filter((key) => Object.hasOwn(raw, key));
  if (booleanKeys.length > 1) {
    const found = booleanKeys.map((key) => `"${key}"`).join(', ');
    report(problems, 'ambiguous-condition', pointer, `a condition takes exactly one of "all", "any", "not"; found ${found}`);
    return undefined;
  }
  if (booleanKeys.length === 1) return compileBoolean(raw, booleanKeys[0], pointer, problems);
  if (Object.hasOwn(raw, 'condition')) return undefined;
  return compileLeaf(raw, pointer, problems);
}

function reportUnsupported(raw: JsonObject, pointer: string, problems: Problems): void {
  if (Object.hasOwn(raw, 'condition')) {
    report(problems, 'condition-reference-unsupported', at(pointer, 'condition'),
      'shared condition references ("condition") are not supported; inline the condition');
  }
  if (Object.hasOwn(raw, 'priority')) {
    report(problems, 'priority-unsupported', at(pointer, 'priority'),
      '"priority" is not supported: it orders dynamic-fact computation and lets json-rules-engine skip ' +
      'lower-priority siblings; our facts are precomputed, so every condition is evaluated');
  }
}

function reportUnknownKeys(raw: JsonObject, allowed: ReadonlySet<string>, pointer: string, problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (allowed.has(key) || REPORTED_ELSEWHERE.has(key)) continue;
    report(problems, 'unknown-key', at(pointer, key), `unknown key "${key}"; allowed: ${[...allowed].join(', ')}`);
  }
}

function compileBoolean(raw: JsonObject, key: BooleanKey, pointer: string, problems: Problems): Node | undefined {
  reportUnknownKeys(raw, new Set([key, 'name']), pointer, problems);
  const operand = raw[key];
  const operandPointer = at(pointer, key);
  if (key === 'not') {
    if (Array.isArray(operand)) {
      report(problems, 'invalid-operand', operandPointer, '"not" takes a single condition, not an array');
      return undefined;
    }
    const child = compileNode(operand, operandPointer, problems);
    return child && notNode(child, nameOf(raw));
  }
  if (!Array.isArray(operand)) {
    report(problems, 'invalid-operand', operandPointer, `"${key}" must be an array of conditions, got ${describe(operand)}`);
    return undefined;
  }
  const children = operand.map((child, index) => compileNode(child, at(operandPointer, index), problems));
  if (!children.every((child) => child !== undefined)) return undefined;
  return junctionNode(key, children, nameOf(raw));
}

type LeafSpec = {
  readonly source: LeafCondition;
  readonly operator: ParsedOperator & { ok: true };
  readonly reference: FactReference | undefined;
};

function compileLeaf(raw: JsonObject, pointer: string, problems: Problems): Node | undefined {
  const before = problems.length;
  reportUnknownKeys(raw, LEAF_KEYS, pointer, problems);
  checkFactName(raw, pointer, 'missing-fact', problems);
  const operator = checkOperator(raw, pointer, problems);
  if (!Object.hasOwn(raw, 'value')) report(problems, 'missing-value', pointer, 'a condition needs a "value"');
  checkPath(raw, pointer, problems);
  const reference = isFactReference(raw.value) ? checkFactReference(raw.value, at(pointer, 'value'), problems) : undefined;
  if (problems.length > before || !operator) return undefined;
  return leafNode({ source: raw as LeafCondition, operator, reference }, pointer);
}

function checkFactName(raw: JsonObject, pointer: string, missing: ConditionErrorCode, problems: Problems): void {
  if (!Object.hasOwn(raw, 'fact')) {
    report(problems, missing, pointer, 'a condition needs a "fact"');
  } else if (typeof raw.fact !== 'string' || raw.fact === '') {
    report(problems, 'invalid-fact', at(pointer, 'fact'), `"fact" must be a non-empty string, got ${describe(raw.fact)}`);
  }
}

function checkPath(raw: JsonObject, pointer: string, problems: Problems): void {
  if (Object.hasOwn(raw, 'path') && typeof raw.path !== 'string') {
    report(problems, 'invalid-path', at(pointer, 'path'), `"path" must be a JSONPath string, got ${describe(raw.path)}`);
  }
}

function checkOperator(raw: JsonObject, pointer: string, problems: Problems): (ParsedOperator & { ok: true }) | undefined {
  if (!Object.hasOwn(raw, 'operator')) {
    report(problems, 'missing-operator', pointer, 'a condition needs an "operator"');
    return undefined;
  }
  if (typeof raw.operator !== 'string') {
    report(problems, 'invalid-operator', at(pointer, 'operator'), `"operator" must be a string, got ${describe(raw.operator)}`);
    return undefined;
  }
  const parsed = parseOperator(raw.operator);
  if (parsed.ok) return parsed;
  const what = parsed.code === 'unknown-operator' ? 'operator' : 'decorator';
  report(problems, parsed.code, at(pointer, 'operator'),
    `unknown ${what} "${parsed.name}" in "${raw.operator}"; operators: ${OPERATOR_NAMES.join(', ')}; ` +
    `decorators (prefixes, composable as in "not:someFact:equal"): ${DECORATOR_NAMES.map((name) => `${name}:`).join(', ')}`);
  return undefined;
}

// Almanac#getValue: any non-null object owning "fact" is a fact reference.
function isFactReference(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact');
}

function checkFactReference(value: JsonObject, pointer: string, problems: Problems): FactReference {
  reportUnknownKeys(value, FACT_REFERENCE_KEYS, pointer, problems);
  checkFactName(value, pointer, 'missing-fact', problems);
  checkPath(value, pointer, problems);
  return value as FactReference;
}

// ---------------------------------------------------------------- nodes

function leafNode(spec: LeafSpec, pointer: string): Node {
  const { source, reference } = spec;
  const literal = cloneLikeRuleResult(source.value);
  const factRead = compileRead(source.fact, source.path);
  const valueRead = reference ? compileRead(reference.fact, reference.path) : undefined;
  const operator = compileOperator(spec.operator);
  const mayThrow = factRead.mayThrow || (valueRead?.mayThrow ?? false) ||
    operator.mayThrow(UNKNOWN, valueRead ? UNKNOWN : known(literal));

  const readFact = factRead.read;
  const test = operator.evaluate;
  const traceSource = leafSource(source, literal);
  const readValue = valueRead ? valueRead.read : () => literal;
  const evaluate: Predicate = valueRead
    ? (facts) => test(readFact(facts), readValue(facts))
    : (facts) => test(readFact(facts), literal);
  const explain = (facts: Facts): LeafTrace => {
    const factResult = readFact(facts);
    const valueResult = readValue(facts);
    return { ...traceSource, factResult, valueResult, result: test(factResult, valueResult) };
  };
  return {
    evaluate: mayThrow ? withPointer(evaluate, pointer) : evaluate,
    explain: withPointer(explain, pointer),
    mayThrow,
  };
}

function leafSource(source: LeafCondition, value: unknown): LeafCondition {
  const copy: LeafCondition = { fact: source.fact, operator: source.operator, value };
  if (Object.hasOwn(source, 'path')) copy.path = source.path;
  if (Object.hasOwn(source, 'params')) copy.params = source.params;
  if (Object.hasOwn(source, 'name')) copy.name = source.name;
  return copy;
}

function notNode(child: Node, name: NameProperty): Node {
  const test = child.evaluate;
  return {
    evaluate: (facts) => !test(facts),
    explain: (facts) => {
      const trace = child.explain(facts);
      return { ...name, not: trace, result: !trace.result };
    },
    mayThrow: child.mayThrow,
  };
}

function junctionNode(key: 'all' | 'any', children: readonly Node[], name: NameProperty): Node {
  return {
    evaluate: junctionEvaluate(key === 'any', children),
    explain: (facts) => {
      const traces = children.map((child) => child.explain(facts));
      const result = traces.length === 0 ||
        (key === 'all' ? traces.every((trace) => trace.result) : traces.some((trace) => trace.result));
      return key === 'all' ? { ...name, all: traces, result } : { ...name, any: traces, result };
    },
    mayThrow: children.some((child) => child.mayThrow),
  };
}

// json-rules-engine evaluates every sibling (Promise.all) and rejects if any
// one throws, even when another already decided the result. We stop at the
// deciding child but still run the later siblings that may throw, so errors
// surface exactly as in the library. Empty "all" and empty "any" are true
// (Rule#prioritizeAndRun).
function junctionEvaluate(decisive: boolean, children: readonly Node[]): Predicate {
  if (children.length === 0) return () => true;
  if (children.length === 1) return children[0].evaluate;
  const tests = children.map((child) => child.evaluate);
  const mayThrow = children.map((child) => child.mayThrow);
  const lastThrowing = mayThrow.lastIndexOf(true);
  return (facts) => {
    for (let i = 0; i < tests.length; i++) {
      if (tests[i](facts) !== decisive) continue;
      for (let j = i + 1; j <= lastThrowing; j++) {
        if (mayThrow[j]) tests[j](facts);
      }
      return decisive;
    }
    return !decisive;
  };
}

function withPointer<T>(fn: (facts: Facts) => T, pointer: string): (facts: Facts) => T {
  return (facts) => {
    try {
      return fn(facts);
    } catch (error) {
      throw error instanceof ConditionEvaluationError ? error : new ConditionEvaluationError(pointer, error);
    }
  };
}

// ---------------------------------------------------------------- helpers

type NameProperty = { name?: string };

function nameOf(raw: JsonObject): NameProperty {
  return Object.hasOwn(raw, 'name') ? { name: raw.name as string } : {};
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function at(pointer: string, ...segments: readonly (string | number)[]): string {
  return pointer + segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function report(problems: Problems, code: ConditionErrorCode, pointer: string, message: string): void {
  problems.push(new ConditionCompileError(code, pointer, message));
}

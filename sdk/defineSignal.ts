import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import {
  compileParamsSchema,
  describeAjvError,
  resolveWithSchema,
  type ParamsResolution,
  type ValidationProblem,
} from './params.ts';
import {
  CONTEXT_NEEDS,
  SIGNAL_CATEGORIES,
  SUBJECT_KINDS,
  type Signal,
  type SignalDefinition,
  type SignalMeta,
} from './signal.ts';

/** Signal ids: `namespace.name`, lowercase kebab-case segments, e.g. `velocity.return-rate`. */
export const SIGNAL_ID_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$';
const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$';

const metaSchema = {
  type: 'object',
  required: ['id', 'version', 'title', 'description', 'category', 'appliesTo', 'defaultWeight', 'params', 'needs'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: SIGNAL_ID_PATTERN, maxLength: 100 },
    version: { type: 'string', pattern: SEMVER_PATTERN },
    title: { type: 'string', minLength: 3, maxLength: 80 },
    description: { type: 'string', minLength: 10, maxLength: 1000 },
    category: { enum: SIGNAL_CATEGORIES },
    appliesTo: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: SUBJECT_KINDS } },
    defaultWeight: { type: 'number', minimum: -100, maximum: 100 },
    params: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
    needs: { type: 'array', uniqueItems: true, items: { enum: CONTEXT_NEEDS } },
    messages: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z][a-zA-Z0-9]*$' },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    evidence: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
    docsUrl: { type: 'string' },
    deprecated: { type: 'boolean' },
    replacedBy: { type: 'array', items: { type: 'string', pattern: SIGNAL_ID_PATTERN } },
  },
} as const;

const validateMeta = new Ajv({ allErrors: true, strict: false }).compile(metaSchema);

/** Thrown by `defineSignal` when a signal's meta is not valid; lists every problem. */
export class SignalDefinitionError extends Error {
  readonly signalId: string;
  readonly problems: readonly ValidationProblem[];
  constructor(signalId: string, problems: ValidationProblem[]) {
    super(
      `Signal "${signalId}" is not valid:\n` +
        problems.map((p) => `  meta${p.pointer}: ${p.message}`).join('\n'),
    );
    this.name = 'SignalDefinitionError';
    this.signalId = signalId;
    this.problems = problems;
  }
}

const paramValidators = new WeakMap<object, ValidateFunction>();

/**
 * Declares a signal, as ESLint declares a rule: `meta` says what it is and what it accepts,
 * `evaluate` computes a value from a frozen point-in-time context. Meta is checked here, so a
 * broken signal fails when it is loaded, not when it first runs.
 */
export function defineSignal<P extends object = Record<string, never>>(
  definition: SignalDefinition<P>,
): Signal<P> {
  const { meta, evaluate } = definition;
  const id = typeof meta?.id === 'string' ? meta.id : '(no id)';
  const problems = checkMeta(meta);
  if (typeof evaluate !== 'function') {
    problems.push({ pointer: '', message: 'evaluate must be a function (ctx, params) => outcome' });
  }
  let validator: ValidateFunction | undefined;
  if (problems.length === 0) {
    try {
      validator = compileParamsSchema(meta.params);
    } catch (error) {
      problems.push({ pointer: '/params', message: `is not a valid JSON Schema: ${(error as Error).message}` });
    }
  }
  if (validator) {
    const defaults = resolveWithSchema(validator, {});
    if (!defaults.ok) {
      problems.push(
        ...defaults.problems.map((p) => ({
          pointer: '/params',
          message: `defaults do not satisfy the schema (${p.pointer || '/'}: ${p.message}); give every required param a default`,
        })),
      );
    }
  }
  if (problems.length > 0) throw new SignalDefinitionError(id, problems);

  const signal: Signal<P> = Object.freeze({
    kind: 'refundsentry.signal' as const,
    meta: Object.freeze({ ...meta }),
    evaluate,
  });
  paramValidators.set(signal, validator!);
  return signal;
}

function checkMeta(meta: SignalMeta): ValidationProblem[] {
  if (meta === null || typeof meta !== 'object') return [{ pointer: '', message: 'meta must be an object' }];
  if (validateMeta(meta)) return checkPropertyDefaults(meta);
  return (validateMeta.errors ?? []).map(describeAjvError);
}

/** Every param property needs a `default`, so a ruleset may omit params altogether. */
function checkPropertyDefaults(meta: SignalMeta): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [name, schema] of Object.entries(meta.params.properties ?? {})) {
    if (!('default' in schema)) {
      problems.push({ pointer: `/params/properties/${name}`, message: 'needs a "default"' });
    }
  }
  return problems;
}

/** True for objects made by `defineSignal` (of this or another copy of the sdk). */
export function isSignal(value: unknown): value is Signal<object> {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { kind?: unknown }).kind === 'refundsentry.signal' &&
    typeof (value as { evaluate?: unknown }).evaluate === 'function' &&
    typeof (value as { meta?: { id?: unknown } }).meta?.id === 'string'
  );
}

/**
 * Resolves params for a signal: fills defaults, refuses params its schema does not declare.
 * Returns the problems (JSON pointers into the params object) rather than throwing.
 */
export function resolveParams<P extends object>(signal: Signal<P>, params?: unknown): ParamsResolution<P> {
  let validator = paramValidators.get(signal);
  if (!validator) {
    // A signal made by another copy of the sdk (a plugin's own dependency): compile once here.
    validator = compileParamsSchema(signal.meta.params);
    paramValidators.set(signal, validator);
  }
  return resolveWithSchema<P>(validator, params);
}

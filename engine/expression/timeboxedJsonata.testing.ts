/**
 * Reference evaluation with the real jsonata library, protected against runaway expressions the
 * way jsonata's own test suite does it: evaluate-entry/exit hooks track nesting depth and elapsed
 * time and abort the evaluation with RS_RUNAWAY.
 *
 * Limitation: the hooks run between evaluation steps, so a single long native operation (e.g. a
 * catastrophically backtracking regex inside $match) cannot be interrupted. Validate untrusted
 * expressions with compileExpression first (it refuses regexes, lambdas and ranges).
 */
import jsonata from 'jsonata';
import { ExpressionError, RS_INTERNAL, RS_RUNAWAY, RUNAWAY_MESSAGE, type ExpressionStage } from './errors.ts';

export interface TimeboxOptions {
  /** Wall-clock budget for one evaluation (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Maximum number of simultaneously open evaluation frames (default 500). */
  readonly maxDepth?: number;
}

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MAX_DEPTH = 500;

/** jsonata's Expression.assign accepts symbols at runtime; its typings only admit strings. */
type EvaluationHook = (expr: unknown, input: unknown, environment: unknown) => void;
interface HookableExpression {
  assign(name: symbol, value: EvaluationHook): void;
}

const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');
const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit');

/**
 * Evaluates `source` against `input` with jsonata. Errors are normalised to ExpressionError
 * (jsonata's own code, message and position; RS_RUNAWAY from the guard; RS_INTERNAL when jsonata
 * itself crashes), and arrays in the result are returned as plain arrays without jsonata's flags.
 */
export async function evaluateWithJsonata(source: string, input: unknown, options: TimeboxOptions = {}): Promise<unknown> {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source);
  } catch (error) {
    throw toExpressionError(error, source, 'parse');
  }
  installRunawayGuard(expression as unknown as HookableExpression, source, options);
  try {
    return plainResult(await expression.evaluate(input));
  } catch (error) {
    throw toExpressionError(error, source, 'evaluate');
  }
}

function installRunawayGuard(expression: HookableExpression, source: string, options: TimeboxOptions): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const startedAt = Date.now();
  let depth = 0;
  const check = (): void => {
    if (depth > maxDepth) throw runaway(source, `more than ${maxDepth} nested evaluation frames`);
    if (Date.now() - startedAt > timeoutMs) throw runaway(source, `more than ${timeoutMs} ms`);
  };
  // jsonata's test suite skips these hooks while `environment.isParallelCall` is set (array
  // constructor items are evaluated concurrently). That flag is left set after the constructor
  // finishes, which would silently disable the guard for the rest of the evaluation, so we always
  // count: concurrent items then add up, which only makes the depth limit a little stricter.
  expression.assign(ENTRY_HOOK, () => {
    depth++;
    check();
  });
  expression.assign(EXIT_HOOK, () => {
    depth--;
    check();
  });
}

/** Copies arrays (jsonata marks its sequences with an enumerable `sequence` flag) and plain objects. */
function plainResult(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, plainResult);
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainResult(item)]));
}

function runaway(source: string, detail: string): ExpressionError {
  return new ExpressionError({ code: RS_RUNAWAY, message: `${RUNAWAY_MESSAGE} (${detail})`, stage: 'evaluate', source });
}

interface JsonataErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly position?: unknown;
}

function toExpressionError(error: unknown, source: string, stage: ExpressionStage): ExpressionError {
  // Our own runaway error (jsonata may have annotated it with the position it surfaced at).
  if (error instanceof ExpressionError) return error;
  const shape: JsonataErrorShape = typeof error === 'object' && error !== null ? error : {};
  const code = typeof shape.code === 'string' ? shape.code : RS_INTERNAL;
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  return new ExpressionError({
    code,
    message,
    stage,
    source,
    ...(typeof shape.position === 'number' ? { position: shape.position } : {}),
  });
}

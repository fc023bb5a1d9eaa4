/**
 * Compiles merchant-written JSONata expressions (a safe, deterministic subset) into synchronous
 * functions. The jsonata library is used only as the parser; evaluation is our own closure tree,
 * bounded by a step budget, and differential-tested against the library (see README.md).
 */
import { analyzeReads, type ReadSet } from './analysis.ts';
import { exceedsDepth, parseExpression } from './ast.ts';
import { Compiler, type Evaluator } from './compiler.ts';
import {
  BudgetExceeded,
  EvalFault,
  ExpressionError,
  renderFaultMessage,
  RS_BUDGET,
  RS_INTERNAL,
  RS_RUNAWAY,
  RS_TOO_DEEP,
  RS_UNKNOWN_ROOT,
  RUNAWAY_MESSAGE,
  BUDGET_MESSAGE,
} from './errors.ts';
import { exportValue, wrapTopLevelArray, type Env } from './values.ts';
import type { ExpressionBudget } from './ExpressionBudget.ts';

export { ExpressionError } from './errors.ts';
export type { ExpressionStage } from './errors.ts';

export interface CompileOptions {
  /** Maximum AST depth (default 24). */
  readonly maxDepth?: number;
  /** Maximum node evaluations + array elements visited per evaluation (default 200000). */
  readonly maxSteps?: number;
  /** When given, every path must start with one of these names (RS_UNKNOWN_ROOT otherwise). */
  readonly knownRoots?: readonly string[];
}

export interface CompiledExpression {
  readonly source: string;
  /**
   * Synchronous; throws only ExpressionError; always terminates within the step budget. With a
   * shared `budget`, the steps are charged to it (under `label`) and the evaluation stops when it
   * runs out (RS_BUDGET), whichever of it and the expression's own `maxSteps` is smaller.
   */
  evaluate(input: unknown, budget?: ExpressionBudget, label?: string): unknown;
  /** Distinct first names of the input paths read, e.g. ['refund', 'order']. */
  readonly roots: readonly string[];
  /** Dotted paths read, e.g. ['refund.amount', 'order.totalPrice']. */
  readonly paths: readonly string[];
}

export const DEFAULT_MAX_DEPTH = 24;
export const DEFAULT_MAX_STEPS = 200_000;

export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const ast = parseExpression(source);
  const tooDeep = (): ExpressionError =>
    new ExpressionError({
      code: RS_TOO_DEEP,
      message: `The expression is nested more than ${maxDepth} levels deep; simplify it or split it into derived facts`,
      stage: 'compile',
      source,
    });
  let evaluator: Evaluator;
  let reads: ReadSet;
  try {
    if (exceedsDepth(ast, maxDepth)) throw tooDeep();
    evaluator = new Compiler(source).compile(ast);
    reads = analyzeReads(ast);
  } catch (error) {
    // Only reachable with a very large custom maxDepth: the compiler's own recursion gave out.
    if (error instanceof RangeError) throw tooDeep();
    throw error;
  }
  if (options.knownRoots !== undefined) assertKnownRoots(source, reads.roots, reads.rootPositions, options.knownRoots);

  return Object.freeze({
    source,
    roots: Object.freeze([...reads.roots]),
    paths: Object.freeze([...reads.paths]),
    evaluate: (input: unknown, budget?: ExpressionBudget, label?: string) => runEvaluation(evaluator, source, input, maxSteps, budget, label),
  });
}

function assertKnownRoots(
  source: string,
  roots: readonly string[],
  positions: ReadonlyMap<string, number | undefined>,
  knownRoots: readonly string[],
): void {
  for (const root of roots) {
    if (root === '$' || knownRoots.includes(root)) continue;
    const position = positions.get(root);
    throw new ExpressionError({
      code: RS_UNKNOWN_ROOT,
      message: `Unknown root "${root}": paths must start with one of ${knownRoots.join(', ')}`,
      stage: 'compile',
      source,
      ...(position !== undefined ? { position } : {}),
    });
  }
}

function runEvaluation(evaluator: Evaluator, source: string, input: unknown, maxSteps: number, budget: ExpressionBudget | undefined, label: string | undefined): unknown {
  const shared = budget !== undefined && budget.remaining < maxSteps;
  const env: Env = { root: input, steps: 0, maxSteps: shared ? budget.remaining : maxSteps };
  // Like jsonata, a top-level input array is wrapped so paths treat it as a single context value.
  const context = Array.isArray(input) ? wrapTopLevelArray(input) : input;
  try {
    return exportValue(evaluator(context, env));
  } catch (error) {
    if (shared && error instanceof BudgetExceeded) {
      throw new ExpressionError({ code: RS_BUDGET, message: `${BUDGET_MESSAGE} (${budget.limit} steps)`, stage: 'evaluate', source });
    }
    throw toEvaluationError(error, source, maxSteps);
  } finally {
    budget?.charge(Math.min(env.steps, env.maxSteps), label);
  }
}

function toEvaluationError(error: unknown, source: string, maxSteps: number): ExpressionError {
  if (error instanceof EvalFault) {
    return new ExpressionError({
      code: error.code,
      message: renderFaultMessage(error),
      stage: 'evaluate',
      source,
      ...(error.position !== undefined ? { position: error.position } : {}),
    });
  }
  if (error instanceof BudgetExceeded || error instanceof RangeError) {
    // RangeError: the JS stack or an allocation limit gave out (e.g. absurdly nested input data).
    const detail = error instanceof BudgetExceeded ? `more than ${maxSteps} steps` : error.message;
    return new ExpressionError({ code: RS_RUNAWAY, message: `${RUNAWAY_MESSAGE} (${detail})`, stage: 'evaluate', source });
  }
  if (error instanceof ExpressionError) return error;
  return new ExpressionError({
    code: RS_INTERNAL,
    message: `Unexpected failure evaluating the expression: ${error instanceof Error ? error.message : String(error)}`,
    stage: 'evaluate',
    source,
  });
}

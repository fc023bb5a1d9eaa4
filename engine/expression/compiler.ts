/**
 * Compiles a jsonata AST (the supported subset) into nested synchronous closures.
 *
 * Each `compile*` function mirrors the jsonata.js evaluator function of the same role
 * (evaluate, evaluatePath, evaluateStep, evaluateFilter, evaluateBinary, ...), including jsonata's
 * sequence bookkeeping, so results match the library exactly; the differential test enforces it.
 */
import type { AstNode, AstStage } from './ast.ts';
import { BUILTINS, NON_DETERMINISTIC_FUNCTIONS, type BuiltinFunction } from './builtins.ts';
import { EvalFault, ExpressionError, RS_INVALID_INPUT, RS_UNSUPPORTED } from './errors.ts';
import {
  castToBoolean,
  comparisonOperation,
  concatOperation,
  equalityOperation,
  includesOperation,
  lookup,
  numericOperation,
  toBooleanOperand,
  type ComparisonOperator,
  type NumericOperator,
} from './semantics.ts';
import {
  createSequence,
  isArrayOfNumbers,
  isCons,
  isFunctionValue,
  isNumeric,
  isOuterWrapper,
  isSequence,
  markCons,
  owned,
  sequenceOf,
  tick,
  tickMany,
  unwrapSequence,
  type Env,
} from './values.ts';

export type Evaluator = (input: unknown, env: Env) => unknown;
type Filter = (input: unknown, env: Env) => unknown;

interface CompiledStep {
  readonly evaluate: Evaluator;
  /** Set for name steps, which evaluateStep reads inline (same semantics as `evaluate`). */
  readonly field: string | undefined;
  readonly stages: readonly Filter[];
}

export const SUPPORTED_SUMMARY =
  'number/string/true/false/null literals; field paths (a.b.c) with [index] and [predicate] filters; ' +
  '$ (the context) and $$ (the input); operators + - * / % = != < <= > >= and or & in, unary -; ' +
  'conditions (c ? a : b), ?? and ?:; parentheses with a single expression; array constructors [a, b]; ' +
  `functions ${[...BUILTINS.keys()].map((name) => `$${name}`).join(' ')}`;

const UNSUPPORTED_NODE_TYPES: Readonly<Record<string, string>> = {
  lambda: 'function definitions (function($x){ ... })',
  partial: 'partial function application ($f(?, x))',
  apply: 'the function-chaining operator ~>',
  transform: 'transform expressions (| ... |)',
  bind: 'variable binding (:=)',
  regex: 'regular expressions (/.../)',
  wildcard: 'the wildcard *',
  descendant: 'the descendant wildcard **',
  parent: 'the parent operator %',
  sort: 'order-by (^( ... ))',
};

const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

export class Compiler {
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  compile(ast: AstNode): Evaluator {
    return this.compileNode(ast);
  }

  /** jsonata's evaluate(): the node itself, then its predicate filters, then sequence unwrapping. */
  private compileNode(node: AstNode): Evaluator {
    this.rejectUnsupportedAnnotations(node);
    const core = this.compileCore(node);
    const filters = (node.predicate ?? []).map((stage) => this.compileFilter(stage));
    if (filters.length === 0) {
      if (isLiteral(node)) {
        return (input, env) => {
          tick(env);
          return core(input, env);
        };
      }
      return (input, env) => {
        tick(env);
        return unwrapSequence(core(input, env));
      };
    }
    return (input, env) => {
      tick(env);
      let result = core(input, env);
      for (const filter of filters) result = filter(result, env);
      return unwrapSequence(result);
    };
  }

  private compileCore(node: AstNode): Evaluator {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'path':
        return this.compilePath(node);
      case 'name': {
        const key = String(node.value);
        return (input, env) => lookup(input, key, env);
      }
      case 'variable':
        return this.compileVariable(node);
      case 'binary':
        return this.compileBinary(node);
      case 'unary':
        return this.compileUnary(node);
      case 'condition':
        return this.compileCondition(node);
      case 'block':
        return this.compileBlock(node);
      case 'function':
        return this.compileFunctionCall(node);
      default:
        return this.unsupported(node, UNSUPPORTED_NODE_TYPES[node.type] ?? `expressions of type "${node.type}"`);
    }
  }

  private rejectUnsupportedAnnotations(node: AstNode): void {
    if (node.keepArray || node.keepSingletonArray) this.unsupported(node, 'the keep-array operator []');
    if (node.group !== undefined) this.unsupported(node, 'grouping / object construction ({ ... })');
    // The parent operator % marks the step it refers to with `ancestor` (and `tuple`).
    if (node.ancestor !== undefined || node.seekingParent !== undefined) this.unsupported(node, 'the parent operator %');
    if (node.focus !== undefined || node.tuple || node.index !== undefined) {
      this.unsupported(node, 'context and positional variable bindings (@$x, #$i)');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Paths

  private compilePath(node: AstNode): Evaluator {
    const steps = node.steps ?? [];
    const first = steps[0];
    if (first === undefined) return this.unsupported(node, 'an empty path');
    // jsonata evaluates a leading array constructor once against the whole input sequence.
    // Combined with a filter, or hidden in parentheses, the result need not be an array and jsonata
    // then iterates whatever it got (e.g. the characters of a string): refused rather than copied.
    if (first.consarray && first.type !== 'unary') {
      return this.unsupported(first, 'a parenthesised array constructor as the first step of a path (([ ... ]).x)');
    }
    if (first.consarray && first.predicate !== undefined) {
      return this.unsupported(first, 'a filtered array constructor as the first step of a path ([ ... ][0].x)');
    }
    const compiled: CompiledStep[] = steps.map((step) => ({
      evaluate: this.compileNode(step),
      field: step.type === 'name' && step.predicate === undefined ? String(step.value) : undefined,
      stages: (step.stages ?? []).map((stage) => this.compileFilter(stage)),
    }));
    const path: PathPlan = {
      steps: compiled,
      firstIsVariable: first.type === 'variable',
      firstIsConsArray: first.consarray === true,
    };
    const names = simpleFieldNames(steps);
    return names === undefined ? (input, env) => evaluatePath(path, input, env) : fieldChainEvaluator(names, path);
  }

  // ---------------------------------------------------------------------------------------------
  // Filters ([n] and [predicate])

  private compileFilter(stage: AstStage): Filter {
    const predicate = stage.expr;
    if (stage.type !== 'filter' || predicate === undefined) {
      return this.unsupported(predicate ?? { type: stage.type, position: stage.position }, 'positional variable bindings (#$i)');
    }
    if (predicate.type === 'number') {
      // A literal index is applied directly (jsonata ignores anything else on the literal node).
      const index = Math.floor(predicate.value as number);
      return (input) => indexFilter(input, index);
    }
    const evaluate = this.compileNode(predicate);
    return (input, env) => predicateFilter(input, evaluate, env);
  }

  // ---------------------------------------------------------------------------------------------
  // Variables

  private compileVariable(node: AstNode): Evaluator {
    const name = String(node.value);
    if (name === '') {
      // `$` is the context item; at top level an input array is seen through its wrapper.
      return (input) => (isOuterWrapper(input) ? input[0] : input);
    }
    if (name === '$') return (_input, env) => env.root;
    if (NON_DETERMINISTIC_FUNCTIONS.has(name)) return this.nonDeterministic(node, name);
    return this.unsupported(node, `the variable $${name} (only $ and $$ exist; variables cannot be bound)`);
  }

  // ---------------------------------------------------------------------------------------------
  // Operators

  private compileBinary(node: AstNode): Evaluator {
    const op = String(node.value);
    const lhsNode = node.lhs as AstNode | undefined;
    const rhsNode = node.rhs;
    if (op === '..') return this.unsupported(node, 'ranges (..)');
    if (lhsNode === undefined || rhsNode === undefined) return this.unsupported(node, `the operator ${op}`);
    const lhs = this.compileNode(lhsNode);
    const rhs = this.compileNode(rhsNode);
    const position = node.position;

    if (op === 'and' || op === 'or') {
      const isAnd = op === 'and';
      return (input, env) => {
        const left = lhs(input, env);
        // jsonata's try block also covers evaluating the right-hand side.
        try {
          const leftBool = toBooleanOperand(left, env);
          if (isAnd) return leftBool && toBooleanOperand(rhs(input, env), env);
          return leftBool || toBooleanOperand(rhs(input, env), env);
        } catch (error) {
          throw annotateOperatorFault(error, position, op);
        }
      };
    }

    const operation = this.binaryOperation(node, op);
    return (input, env) => {
      const left = lhs(input, env);
      const right = rhs(input, env);
      try {
        return operation(left, right, env);
      } catch (error) {
        throw annotateOperatorFault(error, position, op);
      }
    };
  }

  private binaryOperation(node: AstNode, op: string): (lhs: unknown, rhs: unknown, env: Env) => unknown {
    if (NUMERIC_OPERATORS.has(op)) {
      const numericOp = op as NumericOperator;
      return (lhs, rhs) => numericOperation(lhs, rhs, numericOp);
    }
    if (COMPARISON_OPERATORS.has(op)) {
      const comparisonOp = op as ComparisonOperator;
      return (lhs, rhs) => comparisonOperation(lhs, rhs, comparisonOp);
    }
    switch (op) {
      case '=':
        return (lhs, rhs, env) => equalityOperation(lhs, rhs, false, env);
      case '!=':
        return (lhs, rhs, env) => equalityOperation(lhs, rhs, true, env);
      case '&':
        return concatOperation;
      case 'in':
        return includesOperation;
      default:
        return this.unsupported(node, `the operator ${op}`);
    }
  }

  private compileUnary(node: AstNode): Evaluator {
    if (node.value === '-' && node.expression !== undefined) {
      const operand = this.compileNode(node.expression);
      const position = node.position;
      return (input, env) => {
        const value = operand(input, env);
        if (value === undefined) return undefined;
        if (isNumeric(value)) return -value;
        throw new EvalFault('D1002', { position, token: '-', value });
      };
    }
    if (node.value === '[') return this.compileArrayConstructor(node);
    if (node.value === '{') return this.unsupported(node, 'object constructors ({ ... })');
    return this.unsupported(node, `the unary operator ${String(node.value)}`);
  }

  /**
   * `[a, b]`: each defined item is appended (so sequences and input arrays are spliced in one
   * level), except items that are themselves array constructors, which are nested as-is.
   */
  private compileArrayConstructor(node: AstNode): Evaluator {
    const items = (node.expressions ?? []).map((item) => ({
      evaluate: this.compileNode(item),
      // jsonata tests `item.value === '['`, which also matches the string literal "[" (harmlessly).
      nest: item.value === '[',
    }));
    const cons = node.consarray === true;
    return (input, env) => {
      const result = owned<unknown[]>([]);
      for (const item of items) {
        const value = item.evaluate(input, env);
        if (value === undefined) continue;
        if (item.nest || !Array.isArray(value)) {
          result.push(value);
        } else {
          tickMany(env, value.length);
          for (const element of value) result.push(element);
        }
      }
      if (cons) markCons(result);
      return result;
    };
  }

  private compileCondition(node: AstNode): Evaluator {
    if (node.condition === undefined || node.then === undefined) return this.unsupported(node, 'an incomplete condition');
    const condition = this.compileNode(node.condition);
    const then = this.compileNode(node.then);
    const otherwise = node.else === undefined ? undefined : this.compileNode(node.else);
    return (input, env) => {
      if (castToBoolean(condition(input, env), env)) return then(input, env);
      return otherwise === undefined ? undefined : otherwise(input, env);
    };
  }

  private compileBlock(node: AstNode): Evaluator {
    const expressions = node.expressions ?? [];
    if (expressions.length > 1) return this.unsupported(node, 'blocks with more than one expression ((a; b))');
    const only = expressions[0];
    if (only === undefined) return () => undefined;
    return this.compileNode(only);
  }

  // ---------------------------------------------------------------------------------------------
  // Function calls

  private compileFunctionCall(node: AstNode): Evaluator {
    const procedure = node.procedure;
    if (procedure === undefined || procedure.type !== 'variable') {
      return this.unsupported(node, 'calling anything other than a built-in $function');
    }
    const name = String(procedure.value);
    if (NON_DETERMINISTIC_FUNCTIONS.has(name)) return this.nonDeterministic(node, name);
    const builtin = BUILTINS.get(name);
    if (builtin === undefined) return this.unsupported(node, `the function $${name}`);
    const args = (node.arguments ?? []).map((argument) => this.compileNode(argument));
    return functionCallEvaluator(builtin, args, node.position);
  }

  // ---------------------------------------------------------------------------------------------
  // Refusals

  private unsupported(node: AstNode, construct: string): never {
    throw new ExpressionError({
      code: RS_UNSUPPORTED,
      message: `Unsupported construct: ${construct}. Supported: ${SUPPORTED_SUMMARY}.`,
      stage: 'compile',
      source: this.source,
      ...(typeof node.position === 'number' ? { position: node.position } : {}),
    });
  }

  private nonDeterministic(node: AstNode, name: string): never {
    throw new ExpressionError({
      code: RS_UNSUPPORTED,
      message:
        `$${name}() is not allowed: expressions must be deterministic so every decision can be reproduced ` +
        'from its inputs. Read the evaluation time from the `now` value the engine passes in instead.',
      stage: 'compile',
      source: this.source,
      ...(typeof node.position === 'number' ? { position: node.position } : {}),
    });
  }
}

function isLiteral(node: AstNode): boolean {
  return node.type === 'string' || node.type === 'number' || node.type === 'value';
}

/** jsonata's evaluateBinary catch: operator errors report the operator's position and token. */
function annotateOperatorFault(error: unknown, position: number | undefined, op: string): unknown {
  if (error instanceof EvalFault) {
    error.position = position;
    error.token = op;
  }
  return error;
}

function functionCallEvaluator(builtin: BuiltinFunction, args: readonly Evaluator[], position: number | undefined): Evaluator {
  return (input, env) => {
    const values = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) {
      const value = args[i]!(input, env);
      // jsonata would try to wrap such an object as a callable and crash (TypeError).
      if (isFunctionValue(value)) throw new EvalFault(RS_INVALID_INPUT, { position, token: builtin.name, index: i + 1 });
      values[i] = value;
    }
    try {
      // The context item is what a `-` parameter defaults to when its argument is omitted.
      const validated = builtin.signature.validate(values, input, env);
      return builtin.implementation(validated, env);
    } catch (error) {
      if (error instanceof EvalFault) {
        error.position = position || error.position;
        if (error.token === undefined) error.token = builtin.name;
      }
      throw error;
    }
  };
}

// -----------------------------------------------------------------------------------------------
// Path evaluation (jsonata's evaluatePath / evaluateStep)

interface PathPlan {
  readonly steps: readonly CompiledStep[];
  readonly firstIsVariable: boolean;
  readonly firstIsConsArray: boolean;
}

function evaluatePath(path: PathPlan, input: unknown, env: Env): unknown {
  // A path starting with a variable never iterates an input array; others map over it.
  const inputSequence = Array.isArray(input) && !path.firstIsVariable ? input : sequenceOf(input);
  return continuePath(path, 0, inputSequence, env);
}

function continuePath(path: PathPlan, from: number, inputSequence: unknown[], env: Env): unknown {
  const { steps } = path;
  let current = inputSequence;
  let result: unknown[] = current;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    if (i === 0 && path.firstIsConsArray) {
      // A leading (unfiltered) array constructor always yields an array.
      result = step.evaluate(current, env) as unknown[];
    } else {
      result = evaluateStep(step, current, env, i === steps.length - 1);
    }
    if (result.length === 0) break;
    current = result;
  }
  return result;
}

/**
 * Evaluates a step for every item of the input sequence and flattens the results one level,
 * except constructed arrays (cons). A lone input array produced by the last step is returned
 * as-is, which is why `order.lineItems` yields the array itself rather than a copy.
 */
function evaluateStep(step: CompiledStep, input: unknown[], env: Env, lastStep: boolean): unknown[] {
  let first: unknown;
  let count = 0;
  let flattened: unknown[] | undefined;
  for (let i = 0; i < input.length; i++) {
    tick(env);
    let value = step.field === undefined ? step.evaluate(input[i], env) : readField(input[i], step.field, env);
    for (let s = 0; s < step.stages.length; s++) value = step.stages[s]!(value, env);
    if (value === undefined) continue;
    count++;
    if (count === 1) {
      first = value;
      continue;
    }
    if (flattened === undefined) flattened = appendFlattened(createSequence(), first, env);
    appendFlattened(flattened, value, env);
  }
  if (flattened !== undefined) return flattened;
  if (count === 0) return createSequence();
  if (lastStep && Array.isArray(first) && !isSequence(first)) return first;
  return appendFlattened(createSequence(), first, env);
}

/** evaluate() of a name node, inlined: a field of an object, or a mapped lookup over an array. */
function readField(item: unknown, key: string, env: Env): unknown {
  tick(env);
  if (Array.isArray(item)) return unwrapSequence(lookup(item, key, env));
  if (item === null || typeof item !== 'object' || !Object.hasOwn(item, key) || isFunctionValue(item)) return undefined;
  return (item as Record<string, unknown>)[key];
}

function appendFlattened(target: unknown[], value: unknown, env: Env): unknown[] {
  if (!Array.isArray(value) || isCons(value)) {
    target.push(value);
  } else {
    tickMany(env, value.length);
    for (let i = 0; i < value.length; i++) target.push(value[i]);
  }
  return target;
}

/** The field names of a path made only of plain name steps without filters, else undefined. */
function simpleFieldNames(steps: readonly AstNode[]): string[] | undefined {
  const names: string[] = [];
  for (const step of steps) {
    if (step.type !== 'name' || step.stages !== undefined || step.predicate !== undefined) return undefined;
    names.push(String(step.value));
  }
  return names;
}

/**
 * Fast path for `a.b.c`: while every value is a non-array, jsonata's sequence machinery reduces to
 * plain property reads. On meeting an array it hands over to the general algorithm, in exactly the
 * state the general algorithm would have reached.
 */
function fieldChainEvaluator(names: readonly string[], path: PathPlan): Evaluator {
  const last = names.length - 1;
  return (input, env) => {
    if (Array.isArray(input)) return evaluatePath(path, input, env);
    let current = input;
    for (let i = 0; i <= last; i++) {
      tick(env);
      if (current === null || typeof current !== 'object') return undefined;
      const key = names[i]!;
      if (!Object.hasOwn(current, key) || isFunctionValue(current)) return undefined;
      const value: unknown = (current as Record<string, unknown>)[key];
      if (value === undefined) return undefined;
      if (Array.isArray(value)) {
        if (i === last) return value;
        return continuePath(path, i + 1, appendFlattened(createSequence(), value, env), env);
      }
      current = value;
    }
    return current;
  };
}

// -----------------------------------------------------------------------------------------------
// Filters (jsonata's evaluateFilter)

function indexFilter(input: unknown, literalIndex: number): unknown[] {
  const sequence = Array.isArray(input) ? input : sequenceOf(input);
  const index = literalIndex < 0 ? sequence.length + literalIndex : literalIndex;
  const item: unknown = sequence[index];
  if (item === undefined) return createSequence();
  // An array item is returned as the result itself (not wrapped), as jsonata does.
  return Array.isArray(item) ? item : sequenceOf(item);
}

/**
 * A predicate keeps an item when it is truthy, or - when it evaluates to numbers - when one of
 * them (floored, negative counting from the end) equals the item's index.
 */
function predicateFilter(input: unknown, predicate: Evaluator, env: Env): unknown[] {
  const sequence = Array.isArray(input) ? input : sequenceOf(input);
  const results = createSequence();
  for (let index = 0; index < sequence.length; index++) {
    tick(env);
    const item = sequence[index];
    let result = predicate(item, env);
    if (isNumeric(result)) result = [result];
    if (isArrayOfNumbers(result, env)) {
      for (const value of result as number[]) {
        let position = Math.floor(value);
        if (position < 0) position = sequence.length + position;
        if (position === index) results.push(item);
      }
    } else if (castToBoolean(result, env)) {
      results.push(item);
    }
  }
  return results;
}

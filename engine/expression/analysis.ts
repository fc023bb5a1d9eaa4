/**
 * Static analysis of which input fields an expression reads, for dependency tracking between
 * facts (e.g. one derived fact reading `derived.refundRatio`).
 *
 * Field names are resolved against the context they are evaluated in: inside
 * `history.returns[reason = "X"]` the name `reason` reads `history.returns.reason`, while `$$.x`
 * always reads the top-level `x`. Values produced by operators or aggregate functions are not
 * navigable, so `$sum(a).b` reads only `a`.
 */
import { isAstNode, type AstNode } from './ast.ts';

/** A field path as segments; the empty path is the whole input document. */
type FieldPath = readonly string[];

export interface ReadSet {
  /** Distinct first segments of the paths read ('$' when the whole input is read). */
  readonly roots: readonly string[];
  /** Deepest dotted paths read; a path that only leads to a longer listed path is omitted. */
  readonly paths: readonly string[];
  /** Position of the first reference to each root (for error reporting). */
  readonly rootPositions: ReadonlyMap<string, number | undefined>;
}

/** The functions whose result is made of (some of) their arguments' values. */
const PASS_THROUGH_FUNCTIONS: ReadonlySet<string> = new Set(['append', 'distinct', 'reverse']);

const WHOLE_INPUT = '$';

export function analyzeReads(ast: AstNode): ReadSet {
  const recorder = new ReadRecorder();
  visit(ast, [[]], recorder);
  return recorder.result();
}

class ReadRecorder {
  private readonly reads = new Map<string, { path: FieldPath; position: number | undefined }>();

  record(path: FieldPath, position: number | undefined): void {
    const key = path.join('\u0000');
    if (!this.reads.has(key)) this.reads.set(key, { path, position });
  }

  result(): ReadSet {
    const all = [...this.reads.values()];
    const roots: string[] = [];
    const rootPositions = new Map<string, number | undefined>();
    const paths: string[] = [];
    for (const { path, position } of all) {
      const root = path.length === 0 ? WHOLE_INPUT : path[0]!;
      if (!rootPositions.has(root)) {
        roots.push(root);
        rootPositions.set(root, position);
      }
      if (path.length === 0) {
        paths.push(WHOLE_INPUT);
      } else if (!all.some((other) => isStrictPrefix(path, other.path))) {
        paths.push(path.join('.'));
      }
    }
    return { roots, paths, rootPositions };
  }
}

function isStrictPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length < path.length && prefix.every((segment, i) => path[i] === segment);
}

function union(groups: readonly (readonly FieldPath[])[]): FieldPath[] {
  const seen = new Set<string>();
  const result: FieldPath[] = [];
  for (const group of groups) {
    for (const path of group) {
      const key = path.join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        result.push(path);
      }
    }
  }
  return result;
}

/**
 * Records the fields `node` reads when evaluated against values drawn from `context`, and returns
 * where its own result values come from (so a following step or filter can resolve names).
 */
function visit(node: AstNode, context: readonly FieldPath[], recorder: ReadRecorder, asPathStep = false): FieldPath[] {
  const produced = visitCore(node, context, recorder, asPathStep);
  visitFilters(node.predicate, produced, recorder);
  return produced;
}

function visitFilters(stages: AstNode['predicate'], context: readonly FieldPath[], recorder: ReadRecorder): void {
  for (const stage of stages ?? []) {
    if (stage.expr !== undefined && stage.expr.type !== 'number') visit(stage.expr, context, recorder);
  }
}

function visitCore(node: AstNode, context: readonly FieldPath[], recorder: ReadRecorder, asPathStep: boolean): FieldPath[] {
  switch (node.type) {
    case 'path':
      return visitPath(node, context, recorder);
    case 'name': {
      const name = String(node.value);
      const produced = context.map((path) => [...path, name]);
      for (const path of produced) recorder.record(path, node.position);
      return produced;
    }
    case 'variable': {
      const produced: FieldPath[] = node.value === '$' ? [[]] : [...context];
      // A bare `$` / `$$` reads its whole value; as a path step it is only navigated through.
      if (!asPathStep) for (const path of produced) recorder.record(path, node.position);
      return produced;
    }
    case 'function':
      return visitFunctionCall(node, context, recorder);
    case 'condition': {
      if (node.condition !== undefined) visit(node.condition, context, recorder);
      const branches = [node.then, node.else].filter((branch): branch is AstNode => branch !== undefined);
      return union(branches.map((branch) => visit(branch, context, recorder)));
    }
    case 'block': {
      let produced: FieldPath[] = [];
      for (const expression of node.expressions ?? []) produced = visit(expression, context, recorder);
      return produced;
    }
    case 'unary':
      if (node.value === '[') {
        return union((node.expressions ?? []).map((item) => visit(item, context, recorder)));
      }
      if (node.expression !== undefined) visit(node.expression, context, recorder);
      return [];
    case 'binary':
      if (isAstNode(node.lhs)) visit(node.lhs, context, recorder);
      if (node.rhs !== undefined) visit(node.rhs, context, recorder);
      return [];
    default:
      return [];
  }
}

function visitPath(node: AstNode, context: readonly FieldPath[], recorder: ReadRecorder): FieldPath[] {
  const steps = node.steps ?? [];
  let current: FieldPath[] = [...context];
  steps.forEach((step, i) => {
    const isLast = i === steps.length - 1;
    current = visit(step, current, recorder, !isLast);
    visitFilters(step.stages, current, recorder);
  });
  return current;
}

function visitFunctionCall(node: AstNode, context: readonly FieldPath[], recorder: ReadRecorder): FieldPath[] {
  const args = node.arguments ?? [];
  const produced = args.map((argument) => visit(argument, context, recorder));
  // A call without arguments defaults its first parameter to the context value.
  if (args.length === 0) for (const path of context) recorder.record(path, node.position);
  const name = node.procedure?.value;
  return typeof name === 'string' && PASS_THROUGH_FUNCTIONS.has(name) ? union(produced) : [];
}

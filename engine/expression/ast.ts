/**
 * The shape of jsonata 2.2's processed AST (`jsonata(src).ast()`), restricted to the fields the
 * compiler reads, plus parsing with jsonata's own error codes and positions.
 */
import jsonata from 'jsonata';
import { ExpressionError, RS_TOO_DEEP } from './errors.ts';

export interface AstStage {
  readonly type: string; // 'filter' | 'index'
  readonly expr?: AstNode;
  readonly position?: number;
}

export interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly AstNode[];
  /** Filters on a path step (evaluated per step item by evaluateStep). */
  readonly stages?: readonly AstStage[];
  /** Filters on a non-step expression (evaluated by jsonata's evaluate() epilogue). */
  readonly predicate?: readonly AstStage[];
  readonly lhs?: unknown;
  readonly rhs?: AstNode;
  readonly expression?: AstNode;
  readonly expressions?: readonly AstNode[];
  readonly arguments?: readonly AstNode[];
  readonly procedure?: AstNode;
  readonly condition?: AstNode;
  readonly then?: AstNode;
  readonly else?: AstNode;
  /** An array constructor at the start/end of a path (or a block holding one). */
  readonly consarray?: boolean;
  readonly keepArray?: boolean;
  readonly keepSingletonArray?: boolean;
  readonly group?: unknown;
  readonly focus?: unknown;
  readonly index?: unknown;
  readonly tuple?: boolean;
  readonly ancestor?: unknown;
  readonly seekingParent?: unknown;
}

interface JsonataSyntaxError {
  readonly code: string;
  readonly message?: string;
  readonly position?: number;
}

function isJsonataSyntaxError(error: unknown): error is JsonataSyntaxError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Parses with the jsonata library; syntax errors keep jsonata's code (e.g. S0201) and position. */
export function parseExpression(source: string): AstNode {
  try {
    return jsonata(source).ast() as AstNode;
  } catch (error) {
    if (isJsonataSyntaxError(error)) {
      throw new ExpressionError({
        code: error.code,
        message: error.message ?? error.code,
        stage: 'parse',
        source,
        ...(typeof error.position === 'number' ? { position: error.position } : {}),
      });
    }
    if (error instanceof RangeError) {
      // jsonata's recursive-descent parser overflows the stack on absurdly nested input.
      throw new ExpressionError({ code: RS_TOO_DEEP, message: 'The expression is nested too deeply to parse', stage: 'parse', source });
    }
    throw new ExpressionError({ code: 'RS_INTERNAL', message: `Failed to parse the expression: ${String(error)}`, stage: 'parse', source });
  }
}

/** Child nodes of a processed AST node, for generic walks. */
export function childNodes(node: AstNode): AstNode[] {
  const children: AstNode[] = [];
  const add = (child: AstNode | undefined): void => {
    if (child !== undefined) children.push(child);
  };
  node.steps?.forEach(add);
  node.stages?.forEach((stage) => add(stage.expr));
  node.predicate?.forEach((stage) => add(stage.expr));
  if (isAstNode(node.lhs)) add(node.lhs);
  add(node.rhs);
  add(node.expression);
  node.expressions?.forEach(add);
  node.arguments?.forEach(add);
  add(node.procedure);
  add(node.condition);
  add(node.then);
  add(node.else);
  return children;
}

export function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

/** Depth of the AST (a leaf has depth 1), giving up as soon as `limit` is exceeded. */
export function exceedsDepth(node: AstNode, limit: number, depth = 1): boolean {
  if (depth > limit) return true;
  return childNodes(node).some((child) => exceedsDepth(child, limit, depth + 1));
}

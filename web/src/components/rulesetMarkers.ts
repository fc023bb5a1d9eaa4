import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { RulesetProblem } from '../api.ts';

/** A problem the server's validator found, with its JSON pointer (`POST /api/rulesets/validate`). */
export type Problem = RulesetProblem;

export interface TextRange {
  start: number;
  end: number;
}

function segments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Where a server problem sits in the editor's text: the node its JSON pointer names (for an
 * expression problem with a position, the character inside the string), else the nearest
 * existing ancestor; the whole document when nothing matches.
 */
export function problemRange(text: string, problem: Problem): TextRange {
  const root = parseTree(text);
  if (!root) return { start: 0, end: text.length };
  const path = segments(problem.pointer);
  let node: Node | undefined;
  for (let n = path.length; n >= 0 && !node; n--) node = findNodeAtLocation(root, path.slice(0, n));
  if (!node) return { start: 0, end: text.length };
  // An unknown key: point at the property name rather than its whole value.
  const target = node.parent?.type === 'property' && node.parent.children?.[0] && problem.code === 'unknown-signal' ? node.parent.children[0] : node;
  if (problem.position !== undefined && target.type === 'string') {
    const at = target.offset + 1 + problem.position;
    return { start: at, end: Math.min(at + 1, target.offset + target.length - 1) };
  }
  return { start: target.offset, end: target.offset + target.length };
}

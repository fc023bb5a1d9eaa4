import { parseScrubbedJson } from '../../shopify/normalize/index.ts';

/**
 * A bulk operation's JSONL result (FACTS 4.7): one object per line; the nodes of a nested
 * connection come as lines of their own with `__parentId`, and with `groupObjects: false` (the
 * 2026-07 default) they need not follow their parent. `assembleBulkJsonl` puts each child back
 * under its parent, grouped by the child's GraphQL type (the type in its gid).
 */

export interface BulkNode {
  id: string;
  [field: string]: unknown;
}

export interface AssembledNode {
  node: BulkNode;
  /** Children by type name, e.g. `LineItem`, `Return`, in file order. */
  children: Map<string, BulkNode[]>;
}

/** A result line that is not what a bulk result line must be: the message names the line. */
export class BulkResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkResultError';
  }
}

export function gidType(gid: string): string {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid);
  return match ? match[1] : 'Unknown';
}

/**
 * Roots in file order, each with its children. Children of unknown parents are an error (a
 * truncated file). Strings holding NUL or a lone surrogate come back with U+FFFD in their place,
 * as webhook bodies do (`normalize/scrubText.ts`: PostgreSQL stores neither).
 */
export function assembleBulkJsonl(text: string, source = 'bulk result'): AssembledNode[] {
  const roots: AssembledNode[] = [];
  const byId = new Map<string, AssembledNode>();
  const orphans: { line: number; parentId: string; node: BulkNode }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = parseScrubbedJson(line);
    } catch (error) {
      throw new BulkResultError(`${source} line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BulkResultError(`${source} line ${i + 1}: not a JSON object`);
    const { __parentId: parentId, ...fields } = value as Record<string, unknown>;
    const node = fields as BulkNode;
    if (typeof node.id !== 'string') throw new BulkResultError(`${source} line ${i + 1}: no "id" (every bulk node selects its gid)`);
    if (parentId === undefined) {
      const assembled = { node, children: new Map<string, BulkNode[]>() };
      roots.push(assembled);
      byId.set(node.id, assembled);
    } else if (typeof parentId === 'string') {
      orphans.push({ line: i + 1, parentId, node });
    } else {
      throw new BulkResultError(`${source} line ${i + 1}: "__parentId" must be a gid string`);
    }
  }
  for (const { line, parentId, node } of orphans) {
    const parent = byId.get(parentId);
    if (!parent) throw new BulkResultError(`${source} line ${line}: parent ${parentId} is not in the result`);
    const type = gidType(node.id);
    if (!parent.children.has(type)) parent.children.set(type, []);
    parent.children.get(type)!.push(node);
  }
  return roots;
}

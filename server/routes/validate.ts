import Boom from '@hapi/boom';
import { Ajv, type ErrorObject } from 'ajv';
import { MAX_YEAR, MIN_YEAR, gid, parseDay, parseInstant } from './fields.ts';

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false, verbose: true });
ajv.addFormat('day', { type: 'string', validate: (text: string) => parseDay(text) !== undefined });
ajv.addFormat('instant', { type: 'string', validate: (text: string) => parseInstant(text) !== undefined });
// `toIsoString: true` (fields.INSTANT): a valid instant is rewritten as its UTC ISO string.
ajv.addKeyword({
  keyword: 'toIsoString',
  type: 'string',
  schemaType: 'boolean',
  modifying: true,
  errors: false,
  validate: (enabled: boolean, data: string, _parent?: unknown, cxt?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
    const date = enabled ? parseInstant(data) : undefined;
    if (date && cxt) cxt.parentData[cxt.parentDataProperty] = date.toISOString();
    return true;
  },
});

/** Nesting deeper than this is refused before anything walks it (a ruleset is a few levels deep). */
export const MAX_DEPTH = 64;

export interface Problem {
  pointer: string;
  message: string;
}

/**
 * A hapi `validate` function from a JSON Schema (ajv, as everywhere else): coerces query strings,
 * fills defaults, and refuses bad input with 400 naming every problem by JSON pointer. Before the
 * schema, every string (and key) of the input is checked for NUL and lone UTF-16 surrogates
 * (PostgreSQL's text and jsonb cannot hold them), every number for being finite and the nesting
 * for depth: such input is refused (400), never scrubbed. A payload must be JSON (the API's
 * routes allow only application/json; bytes get 415 here too); a JSON array or scalar where an
 * object is expected gets 400.
 */
export function schema(jsonSchema: object, where: 'query' | 'payload' | 'params') {
  const check = ajv.compile(jsonSchema);
  return (value: unknown): unknown => {
    if (where === 'payload' && value instanceof Uint8Array) throw Boom.unsupportedMediaType('Invalid payload: send JSON (Content-Type: application/json)');
    const unsafe = unsafeValues(value);
    if (unsafe.length > 0) throw refusal(where, unsafe);
    const copy = structuredClone(value ?? {});
    if (check(copy)) return copy;
    throw refusal(where, (check.errors ?? []).map(describe));
  };
}

function refusal(where: string, problems: Problem[]) {
  return Boom.badRequest(`Invalid ${where}: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`, { problems });
}

/** A lone surrogate: a high one not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

/** Every string, key and number of `value` PostgreSQL could not take, by JSON pointer (iterative: no stack to overflow). */
export function unsafeValues(value: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: '', depth: 0 }];
  while (stack.length > 0 && problems.length < 20) {
    const { value: v, pointer, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) problems.push({ pointer, message: problem });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push({ pointer, message: 'must be a finite number' });
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) {
        problems.push({ pointer, message: `is nested more than ${MAX_DEPTH} levels deep` });
        continue;
      }
      for (const [key, child] of Object.entries(v)) {
        const childPointer = `${pointer}/${pointerSegment(key)}`;
        const problem = Array.isArray(v) ? undefined : textProblem(key);
        if (problem) problems.push({ pointer: childPointer, message: `(a key) ${problem}` });
        else stack.push({ value: child, pointer: childPointer, depth: depth + 1 });
      }
    }
  }
  return problems.sort((a, b) => a.pointer.localeCompare(b.pointer));
}

/** A JSON pointer segment (RFC 6901: ~ and / escaped), readable in a message: NUL and lone surrogates as \u escapes, long keys cut. */
function pointerSegment(key: string): string {
  const escaped = key.replaceAll('~', '~0').replaceAll('/', '~1').replace(/[\u0000-\u001f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}

function describe(e: ErrorObject): Problem {
  const params = e.params as Record<string, unknown>;
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  if (e.keyword === 'additionalProperties') return { pointer: `${e.instancePath}/${pointerSegment(String(params.additionalProperty))}`, message: 'is not allowed' };
  if (e.keyword === 'required') return { pointer: `${e.instancePath}/${pointerSegment(String(params.missingProperty))}`, message: 'is required' };
  if (e.keyword === 'enum') return { pointer: e.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
  if (e.keyword === 'format' && params.format === 'day') return { pointer: e.instancePath, message: `must be a date YYYY-MM-DD (a real one, years ${MIN_YEAR}-${MAX_YEAR})` };
  if (e.keyword === 'format' && params.format === 'instant') {
    return { pointer: e.instancePath, message: `must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T00:00:00Z (a real one, years ${MIN_YEAR}-${MAX_YEAR})` };
  }
  if (e.keyword === 'pattern' && described) return { pointer: e.instancePath, message: `must be ${described}` };
  return { pointer: e.instancePath, message: e.message ?? e.keyword };
}

/** Any Shopify GID (kept for the routes that imported it; fields.ts has the rest). */
export const GID = gid();

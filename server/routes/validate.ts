import Boom from '@hapi/boom';
import { Ajv, type ErrorObject } from 'ajv';

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });

/**
 * A hapi `validate` function from a JSON Schema (ajv, as everywhere else): coerces query strings,
 * fills defaults, and refuses bad input with 400 naming every problem.
 */
export function schema(jsonSchema: object, where: 'query' | 'payload' | 'params') {
  const check = ajv.compile(jsonSchema);
  return (value: unknown): unknown => {
    const copy = structuredClone(value ?? {});
    if (check(copy)) return copy;
    const problems = (check.errors ?? []).map(describe);
    throw Boom.badRequest(`Invalid ${where}: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`, { problems });
  };
}

function describe(e: ErrorObject): { pointer: string; message: string } {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return { pointer: `${e.instancePath}/${String(params.additionalProperty)}`, message: 'is not allowed' };
  if (e.keyword === 'required') return { pointer: `${e.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
  if (e.keyword === 'enum') return { pointer: e.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
  return { pointer: e.instancePath, message: e.message ?? e.keyword };
}

export const GID = { type: 'string', pattern: '^gid://shopify/[A-Za-z]+/[0-9]+$' } as const;

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** A JSON Schema describing an object (the params of a signal, or its evidence). */
export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, Record<string, unknown>>;
  required?: readonly string[];
  additionalProperties?: boolean;
  [keyword: string]: unknown;
}

/** One problem found in a value, located by a JSON pointer into that value. */
export interface ValidationProblem {
  /** JSON pointer, e.g. `/minOrders`; `` for the value itself. */
  pointer: string;
  message: string;
}

export type ParamsResolution<P> =
  | { ok: true; params: Readonly<P> }
  | { ok: false; problems: ValidationProblem[] };

/**
 * One Ajv for every signal's params: strict (a typo in a schema keyword is an error),
 * filling defaults, reporting every problem rather than the first.
 */
const paramsAjv = new Ajv({ strict: true, useDefaults: true, allErrors: true });

/** Compiles a params schema, refusing params the schema does not name. */
export function compileParamsSchema(schema: JsonSchemaObject): ValidateFunction {
  return paramsAjv.compile({ ...schema, additionalProperties: false });
}

/** Resolves user params against a compiled schema: defaults filled, unknown params refused. */
export function resolveWithSchema<P>(
  validate: ValidateFunction,
  params: unknown,
): ParamsResolution<P> {
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return { ok: false, problems: [{ pointer: '', message: 'params must be an object' }] };
  }
  const copy = structuredClone(params ?? {}) as Record<string, unknown>;
  if (validate(copy)) return { ok: true, params: deepFreeze(copy) as Readonly<P> };
  return { ok: false, problems: (validate.errors ?? []).map(describeAjvError) };
}

/** Turns an Ajv error into a pointer and a sentence that names the problem. */
export function describeAjvError(error: ErrorObject): ValidationProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    return {
      pointer: `${error.instancePath}/${escapePointer(extra)}`,
      message: `unknown property "${extra}"`,
    };
  }
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    return {
      pointer: `${error.instancePath}/${escapePointer(missing)}`,
      message: `missing required property "${missing}"`,
    };
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { pointer: error.instancePath, message: `must be one of ${allowed}` };
  }
  return { pointer: error.instancePath, message: error.message ?? error.keyword };
}

export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

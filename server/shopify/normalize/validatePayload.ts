import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeAjvError, escapePointer } from '../../../sdk/params.ts';
import { PayloadError } from './PayloadError.ts';

/**
 * One Ajv for all webhook schemas: strict (a typo in a schema keyword is an error) except
 * that `anyOf` branches may require properties declared beside them; first problem only.
 * Extra properties are always allowed: the schemas require only what we read, so Shopify can
 * add fields without breaking us.
 */
const payloadAjv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: false });

/** The problem to report: for a failed `anyOf` of `required` branches, all the alternatives. */
function describe(errors: readonly ErrorObject[]): { pointer: string; message: string } {
  const anyOf = errors.find((e) => e.keyword === 'anyOf');
  if (!anyOf) return describeAjvError(errors[0]!);
  const missing = errors
    .filter((e) => e.keyword === 'required' && e.instancePath === anyOf.instancePath)
    .map((e) => `"${String((e.params as { missingProperty: string }).missingProperty)}"`);
  if (missing.length === 0) return { pointer: anyOf.instancePath, message: anyOf.message ?? 'must match a schema in anyOf' };
  return { pointer: `${anyOf.instancePath}/${escapePointer(missing[0]!.slice(1, -1))}`, message: `missing required property ${missing.join(' or ')}` };
}

/** A compiled schema that throws PayloadError (topic family, pointer, problem) on mismatch. */
export function payloadValidator<T>(family: string, schema: object): (body: unknown) => T {
  const validate = payloadAjv.compile(schema) as ValidateFunction<T>;
  return (body) => {
    if (validate(body)) return body;
    const errors = validate.errors ?? [];
    if (errors.length === 0) throw new PayloadError(family, '', 'does not match the schema');
    const { pointer, message } = describe(errors);
    throw new PayloadError(family, pointer, message);
  };
}

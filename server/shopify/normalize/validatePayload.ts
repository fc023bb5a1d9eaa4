import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeAjvError, escapePointer } from '../../../sdk/params.ts';
import { isBodyTime } from './isoTime.ts';
import { PayloadError } from './PayloadError.ts';

/**
 * One Ajv for all webhook schemas: strict (a typo in a schema keyword is an error) except
 * that `anyOf` branches may require properties declared beside them; first problem only.
 * Extra properties are always allowed: the schemas require only what we read, so Shopify can
 * add fields without breaking us.
 */
const payloadAjv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: false });
payloadAjv.addFormat('shopify-time', { type: 'string', validate: isBodyTime });

/** What a failed `format` means, in words. */
const FORMAT_PROBLEMS: Record<string, string> = {
  'shopify-time': 'must be an ISO 8601 time with an offset, a real date and time in the years 1970-2099',
};

/** The problem to report: for a failed `anyOf` of `required` branches, all the alternatives. */
function describe(errors: readonly ErrorObject[]): { pointer: string; message: string } {
  const anyOf = errors.find((e) => e.keyword === 'anyOf');
  const first = errors[0]!;
  if (!anyOf && first.keyword === 'format') {
    const format = String((first.params as { format: string }).format);
    return { pointer: first.instancePath, message: FORMAT_PROBLEMS[format] ?? `must match format "${format}"` };
  }
  // `properties: {name: false}`: a field of another topic's body (see compliancePayloads.ts).
  if (!anyOf && first.keyword === 'false schema') return { pointer: first.instancePath, message: "must not be present (a field of another topic's body)" };
  if (!anyOf) return describeAjvError(first);
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

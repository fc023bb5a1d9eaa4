/**
 * Text PostgreSQL cannot store: NUL (`text` and `jsonb` refuse U+0000) and lone UTF-16
 * surrogates (`jsonb` refuses `\ud800` without its pair). Both are replaced with U+FFFD, the
 * replacement character, wherever they appear in a parsed body's strings and keys.
 *
 * In a JSON text they can only come as the escapes `\u0000` and `\uD800`-`\uDFFF`: a raw control
 * character is not valid JSON, and decoding the body's UTF-8 already turned encoded surrogates
 * into U+FFFD. So a body whose text holds no such escape needs no walk: `mayHoldUnstorableText` is
 * that test, one regular expression over the raw text (a few µs on a 15 KB order), and the walk
 * runs only when it says yes (it may say yes for a well-formed surrogate pair or an escaped
 * backslash before `u0000`; the walk then changes nothing).
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** Whether a JSON text may hold a NUL or a lone surrogate once parsed (see above). */
export function mayHoldUnstorableText(json: string): boolean {
  return UNSTORABLE_ESCAPE.test(json);
}

/** The string with each NUL and each lone surrogate replaced by U+FFFD (the same string when it has none). */
export function scrubString(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

/**
 * Replaces, in place, NUL and lone surrogates in every string and key of a parsed JSON value
 * (objects and arrays as `JSON.parse` makes them); returns the value, or the scrubbed string.
 * Iterative: a 1 MB body can nest 500,000 levels deep, which `JSON.parse` reads but a recursive
 * walk would overflow the stack on (a 500).
 */
export function scrubStrings<T>(value: T): T {
  if (typeof value === 'string') return scrubString(value) as T;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = scrubString(item);
        else if (item !== null && typeof item === 'object') pending.push(item);
      }
    } else if (node !== null && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const item = object[key];
        const clean = scrubString(key);
        const cleanItem = typeof item === 'string' ? scrubString(item) : item;
        if (item !== null && typeof item === 'object') pending.push(item);
        if (clean === key && cleanItem === item) continue;
        if (clean !== key) delete object[key];
        // Defined, not assigned: a key of a parsed body may be `__proto__`.
        Object.defineProperty(object, clean, { value: cleanItem, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return value;
}

/** `JSON.parse` with the scrub, for JSON texts from outside (webhook bodies, bulk operation results). */
export function parseScrubbedJson(json: string): unknown {
  const value: unknown = JSON.parse(json);
  return mayHoldUnstorableText(json) ? scrubStrings(value) : value;
}

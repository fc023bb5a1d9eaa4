import type { IdentifierHash } from '../../../sdk/index.ts';
import { keyedHash } from '../../normalize/identityFacts.ts';

const KEYPAD: Record<string, string> = Object.fromEntries(
  ['abc', 'def', 'ghi', 'jkl', 'mno', 'pqrs', 'tuv', 'wxyz'].flatMap((letters, i) => [...letters].map((l) => [l, String(i + 2)])),
);

/**
 * Normalizes a phone number to `+` and digits: extensions dropped, letters read as keypad digits
 * (Shopify's own sample has "555-555-SHIP"), `00` read as `+`. Numbers written with and
 * without a country code still differ (no phone-number library here). Undefined when fewer
 * than 7 digits remain.
 */
export function normalizePhone(phone: string): string | undefined {
  const main = phone.toLowerCase().split(/\s*(?:ext\.?|extension|x)\s*\d+\s*$/)[0] ?? '';
  const plus = /^\s*(\+|00)/.test(main);
  const digits = [...main].map((c) => (/\d/.test(c) ? c : (KEYPAD[c] ?? ''))).join('');
  const national = plus && main.trim().startsWith('00') ? digits.slice(2) : digits;
  return national.length >= 7 ? `${plus ? '+' : ''}${national}` : undefined;
}

export function phoneHash(shopKey: string, phone: string | null | undefined): IdentifierHash | undefined {
  const normalized = phone ? normalizePhone(phone) : undefined;
  return normalized ? keyedHash(shopKey, 'phone', normalized) : undefined;
}

export function ipHash(shopKey: string, ip: string | null | undefined): IdentifierHash | undefined {
  const normalized = ip?.trim().toLowerCase();
  return normalized ? keyedHash(shopKey, 'ip', normalized) : undefined;
}

/**
 * A device key from what Shopify's checkout reports of the browser: its user agent, its
 * Accept-Language and, when measured, its window width (`client_details.browser_width`).
 *
 * User agent + language alone is shared by everyone on the same browser version and language:
 * every iPhone on one iOS release sends the same user agent (it names no model), so unrelated
 * buyers collide and the key looks "shared by many accounts". The window width separates phone
 * models (an iPhone 15 is 393 CSS pixels wide, a 15 Plus 430, an SE 375) and desktop screen or
 * window sizes. The cost: a desktop window resized, or a phone turned to landscape, between two
 * orders gives the same browser another key, so a device can split (a missed link) but two
 * devices merge less often (a false link). The height is left out: it moves with the phone
 * browser's collapsing toolbars and the desktop's bars, so it would split one device far more
 * often. Without a width (many checkouts, API and POS orders, every backfilled order) the key
 * is the user agent and language alone, as before, so those hashes are unchanged.
 */
export function deviceHash(
  shopKey: string,
  userAgent: string | null | undefined,
  acceptLanguage?: string | null,
  browserWidth?: number | null,
): IdentifierHash | undefined {
  const agent = userAgent?.trim();
  if (!agent) return undefined;
  const base = `${agent}|${acceptLanguage?.trim().toLowerCase() ?? ''}`;
  const width = typeof browserWidth === 'number' && browserWidth > 0 ? `|w${browserWidth}` : '';
  return keyedHash(shopKey, 'device', `${base}${width}`);
}

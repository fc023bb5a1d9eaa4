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

/** A device fingerprint from the browser's user agent and, when sent, its Accept-Language. */
export function deviceHash(
  shopKey: string,
  userAgent: string | null | undefined,
  acceptLanguage?: string | null,
): IdentifierHash | undefined {
  const agent = userAgent?.trim();
  if (!agent) return undefined;
  return keyedHash(shopKey, 'device', `${agent}|${acceptLanguage?.trim().toLowerCase() ?? ''}`);
}

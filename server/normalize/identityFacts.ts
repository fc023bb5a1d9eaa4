import { createHmac } from 'node:crypto';
import MailChecker from 'mailchecker';
import type { IdentifierHash } from '../../sdk/index.ts';

/**
 * Turns raw identifiers from Shopify payloads into what RefundSentry stores: keyed hashes
 * (HMAC-SHA256 with the shop's own key, so hashes cannot be matched across shops or reversed
 * by lookup tables) and the few facts judged from the raw value at ingestion time, after which
 * the raw value is dropped. No raw PII reaches the database.
 */
export function keyedHash(shopKey: string, kind: string, value: string): IdentifierHash {
  return createHmac('sha256', shopKey).update(`${kind}:${value}`).digest('hex');
}

export interface EmailFacts {
  hash: IdentifierHash;
  domainHash: IdentifierHash;
  /** The domain is a disposable/temporary mailbox provider (mailchecker's maintained list). */
  disposable: boolean;
}

/** Normalizes (trim, lowercase) and judges an email; returns undefined for a malformed one. */
export function emailFacts(shopKey: string, email: string): EmailFacts | undefined {
  const normalized = email.trim().toLowerCase();
  const at = normalized.lastIndexOf('@');
  if (at <= 0 || at === normalized.length - 1) return undefined;
  const domain = normalized.slice(at + 1);
  return {
    hash: keyedHash(shopKey, 'email', normalized),
    domainHash: keyedHash(shopKey, 'email-domain', domain),
    disposable: isDisposableDomain(domain),
  };
}

const disposableDomains: Set<string> = MailChecker.blacklist();

/** True when the domain, or a parent domain of it, is on mailchecker's disposable list. */
export function isDisposableDomain(domain: string): boolean {
  const parts = domain.toLowerCase().split('.');
  for (let i = 0; i < parts.length - 1; i++) if (disposableDomains.has(parts.slice(i).join('.'))) return true;
  return false;
}

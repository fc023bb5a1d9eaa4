import type { IdentifierHash, TransactionRecord } from '../../../sdk/index.ts';
import { keyedHash } from '../../normalize/identityFacts.ts';
import { compact } from './compact.ts';
import { round2, toMoney } from './money.ts';
import { shopifyGid } from './shopifyGid.ts';
import { transactionPayload, type PaymentDetailsPayload } from './transactionPayload.ts';

/** Lowercase, trimmed, or undefined when empty. */
function word(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  return trimmed || undefined;
}

/** A result code as Shopify documents it, one letter (uppercased); anything else (empty, longer) is no code. */
function resultCode(value: string | null | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z0-9]$/.test(code) ? code : undefined;
}

/** A cardholder name compared loosely: accents, case, punctuation and spacing do not tell two cards apart. */
function holderName(name: string | null | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A four-digit expiry year (Shopify's REST gives 4 digits; a 2-digit one is read as 20xx). */
function expiryYear(year: number | null | undefined): string {
  if (year === null || year === undefined) return '';
  return String(year < 100 ? 2000 + year : year);
}

/**
 * The card's keyed fingerprint: company + BIN + last four + expiry + holder name, normalized, then
 * HMAC'd with the shop's key (`keyedHash(shopKey, 'payment', …)`), so the same card on two orders
 * of the shop gives the same hash and no raw part of it is kept. Only when the last four and at
 * least the BIN or the expiry are known: the brand and last four alone (Shopify's sample) are
 * shared by one card in ten thousand of a brand, and would link strangers in rings.
 */
export function cardHash(shopKey: string, details: PaymentDetailsPayload): IdentifierHash | undefined {
  const last4 = (details.credit_card_number ?? '').replace(/\D/g, '').slice(-4);
  const bin = (details.credit_card_bin ?? '').replace(/\D/g, '');
  const month = details.credit_card_expiration_month;
  const year = expiryYear(details.credit_card_expiration_year);
  const expiry = month && year ? `${String(month).padStart(2, '0')}/${year}` : '';
  if (last4.length !== 4 || (!bin && !expiry)) return undefined;
  const company = word(details.credit_card_company) ?? '';
  return keyedHash(shopKey, 'payment', [company, bin, last4, expiry, holderName(details.credit_card_name)].join('|'));
}

/**
 * An order_transactions/create body (REST Transaction shape; the backfill rewrites GraphQL
 * `OrderTransaction`s into it) as our TransactionRecord. Kind, status, gateway and error code are
 * lowercased (webhooks send them so; GraphQL enums are uppercase); the AVS and CVV result codes
 * are kept only as one letter. Of the card only judged facts stay: brand, wallet, and the keyed
 * fingerprint (`cardHash`); never the BIN, number, last four or holder name.
 */
export function normalizeTransaction(body: unknown, shopKey: string): TransactionRecord {
  const p = transactionPayload(body);
  const details = p.payment_details ?? {};
  return compact<TransactionRecord>({
    id: p.admin_graphql_api_id,
    orderId: shopifyGid('Order', p.order_id),
    createdAt: p.created_at,
    kind: p.kind.trim().toLowerCase(),
    status: p.status.trim().toLowerCase(),
    gateway: word(p.gateway),
    amount: round2(toMoney(p.amount)),
    errorCode: word(p.error_code),
    avsResultCode: resultCode(details.avs_result_code),
    cvvResultCode: resultCode(details.cvv_result_code),
    cardCompany: details.credit_card_company?.trim() || undefined,
    wallet: word(details.credit_card_wallet),
    cardHash: cardHash(shopKey, details),
    test: p.test === true ? true : undefined,
  });
}

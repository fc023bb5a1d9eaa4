import type {
  FulfillmentRecord,
  IdentifierKind,
  LineItem,
  IsoTime,
  OrderRecord,
  RefundRecord,
  ReturnRecord,
  SignalContext,
} from '../sdk/index.ts';

/**
 * Small pure helpers shared by the built-in signals. Times are ISO strings; every "now" is
 * `ctx.now`, never the clock.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function ms(time: IsoTime): number {
  return Date.parse(time);
}

/** Whole and fractional days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: IsoTime, to: IsoTime): number {
  return (ms(to) - ms(from)) / DAY_MS;
}

export function hoursBetween(from: IsoTime, to: IsoTime): number {
  return (ms(to) - ms(from)) / HOUR_MS;
}

/** True when `time` lies within the `days` before `ctx.now` (inclusive of the start). */
export function withinDays(ctx: Pick<SignalContext, 'now'>, time: IsoTime, days: number): boolean {
  const age = ms(ctx.now) - ms(time);
  return age >= 0 && age <= days * DAY_MS;
}

/** Day of the week in UTC: 0 Sunday … 6 Saturday. */
export function weekdayUtc(time: IsoTime): number {
  return new Date(ms(time)).getUTCDay();
}

/** The order being judged (for a return or refund: the order it belongs to). */
export function subjectOrder(ctx: SignalContext): OrderRecord {
  return ctx.subject.order;
}

/** The return being judged, or the return behind the refund being judged, if any. */
export function subjectReturn(ctx: SignalContext): ReturnRecord | undefined {
  const subject = ctx.subject;
  if (subject.kind === 'return') return subject.return;
  if (subject.kind === 'refund') return subject.return ?? undefined;
  return undefined;
}

export function subjectRefund(ctx: SignalContext): RefundRecord | undefined {
  return ctx.subject.kind === 'refund' ? ctx.subject.refund : undefined;
}

/** Units in a return. */
export function returnedUnits(ret: ReturnRecord): number {
  return ret.lineItems.reduce((sum, item) => sum + item.quantity, 0);
}

/** Units in an order. */
export function orderedUnits(order: OrderRecord): number {
  return order.lineItems.reduce((sum, item) => sum + item.quantity, 0);
}

/** The customer's past returns plus the one being judged (if the subject is a return). */
export function returnsIncludingSubject(ctx: SignalContext): ReturnRecord[] {
  return ctx.subject.kind === 'return' ? [...ctx.history.returns, ctx.subject.return] : ctx.history.returns;
}

/** When the order's items reached the customer: delivery if known, else fulfilment, else order time. */
export function deliveredAt(order: OrderRecord, fulfillments: readonly FulfillmentRecord[]): { at: IsoTime; source: 'delivery' | 'fulfillment' | 'order' } {
  let best: { at: IsoTime; source: 'delivery' | 'fulfillment' | 'order' } = { at: order.createdAt, source: 'order' };
  for (const f of fulfillments) {
    if (f.orderId !== order.id) continue;
    if (f.deliveredAt) return { at: f.deliveredAt, source: 'delivery' };
    if (best.source === 'order') best = { at: f.createdAt, source: 'fulfillment' };
  }
  return best;
}

/** Clamp to 0..1. */
export function unit(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/** Strength that rises linearly from `floor` at `threshold` to 1 at `full`. */
export function ramp(value: number, threshold: number, full: number, floor = 0.3): number {
  if (full <= threshold) return 1;
  return unit(floor + ((1 - floor) * (value - threshold)) / (full - threshold));
}

/** Round money or ratios for evidence (2 decimals). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Every identity hash known for the subject: the order's, the customer's and the addresses'. */
export function identityHashes(ctx: SignalContext): Map<IdentifierKind, Set<string>> {
  const order = ctx.subject.order;
  const byKind = new Map<IdentifierKind, Set<string>>();
  const add = (kind: IdentifierKind, hash: string | undefined) => {
    if (hash) byKind.set(kind, (byKind.get(kind) ?? new Set<string>()).add(hash));
  };
  for (const identity of [order.identity, ctx.customer?.identity ?? {}]) {
    for (const [kind, hash] of Object.entries(identity)) add(kind as IdentifierKind, hash);
  }
  add('address', order.shippingAddress?.hash);
  add('address', order.billingAddress?.hash);
  return byKind;
}

/**
 * The buyer's identifiers on the merchant's lists, by kind: blocked, non-overridable blocked
 * (`locked`) and allowed. An allow match beats a block, unless a matched block is locked.
 */
export function listMatches(ctx: SignalContext, hashes: Map<IdentifierKind, Set<string>>): { blocked: IdentifierKind[]; locked: IdentifierKind[]; allowed: IdentifierKind[] } {
  const on = (list: Partial<Record<IdentifierKind, string[]>> | undefined) =>
    [...hashes].filter(([kind, set]) => (list?.[kind] ?? []).some((hash) => set.has(hash))).map(([kind]) => kind);
  return { blocked: on(ctx.lists.blocked), locked: on(ctx.lists.locked), allowed: on(ctx.lists.allowed) };
}

/** Lowercase words joined by single spaces, padded, so phrases match on word boundaries. */
function words(text: string): string {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

/** True when the line's product type or title holds a keyword (or its plural). */
export function matchesKeyword(line: LineItem, keywords: readonly string[]): boolean {
  const text = ` ${words(`${line.productType ?? ''} ${line.title ?? ''}`)} `;
  return keywords.some((keyword) => {
    const k = words(keyword);
    return k !== '' && [k, `${k}s`, `${k}es`].some((form) => text.includes(` ${form} `));
  });
}

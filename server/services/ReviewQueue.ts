import type { Kind, QueueItem, QueuePage, QueueReason, Recommendation, Sendable, Zone } from '../../contract/index.ts';
import { emailFacts } from '../normalize/identityFacts.ts';
import type { QueueRow, QueueSearch, Stores } from '../store/index.ts';
import type { CalibrationService } from './CalibrationService.ts';
import { recommendation } from './OrderRiskCard.ts';
import { Refused } from './Refused.ts';

/** `GET /api/queue`'s query as validated by the route. */
export interface QueueQuery {
  zone?: Zone;
  kind?: Kind;
  reason?: QueueReason;
  q?: string;
  ringDays: number;
  limit: number;
  /** The `next` of the page before: `<value>:<decision id>`. */
  after?: string;
}

/** How a cursor looks (`QueuePage.next`): the last row's money at risk as PostgreSQL wrote it, a colon, its decision id. */
export const QUEUE_CURSOR = '^[0-9]{1,15}(\\.[0-9]{1,20})?:[0-9]{1,18}$';

/**
 * What the search box holds, as the store looks for it: a customer's or an order's GID, an email
 * (hashed here with the shop's key, as the normalizers hash an order's, never kept), else an
 * order's name (exact or prefix). Refused (400, naming `/q`) when it is none of them.
 */
export function searchOf(q: string, shopKey: string): QueueSearch | undefined {
  const text = q.trim();
  if (text === '') return undefined;
  if (/^gid:\/\/shopify\/Customer\/[0-9]{1,20}$/.test(text)) return { customerId: text };
  if (/^gid:\/\/shopify\/Order\/[0-9]{1,20}$/.test(text)) return { orderId: text };
  if (text.startsWith('gid:')) throw new Refused(400, 'Invalid query: /q must be a customer or order GID (gid://shopify/Customer/123), an email or an order name');
  if (text.includes('@')) {
    const facts = /\s/.test(text) ? undefined : emailFacts(shopKey, text);
    if (!facts) throw new Refused(400, 'Invalid query: /q is not an email address (name@example.com)');
    return { emailHash: facts.hash };
  }
  if (!/^[\p{L}\p{N}#._\-/ ]{1,60}$/u.test(text)) throw new Refused(400, 'Invalid query: /q is not an order name (#1001: letters, digits, # . _ - /, at most 60)');
  return { orderName: text };
}

/** A LOW order here only for its ring alert is not "no action needed". */
const CHECK_THE_RING: Recommendation = {
  step: 'Check the ring',
  text: "Low score, but the order matched a fraud ring lately: look at the ring's members before fulfilling.",
};

/**
 * The review queue (`GET /api/queue`): a page of what needs a decision now, most money at risk
 * first, with the counts per filter value, each row with its recommended next step (the decision
 * page's and the order card's words: `recommendation`).
 */
export async function reviewQueue(stores: Stores, calibrations: CalibrationService, shopId: string, query: QueueQuery): Promise<Sendable<QueuePage>> {
  let search: QueueSearch | undefined;
  if (query.q !== undefined) {
    const shop = await stores.shops.getCached(shopId);
    if (!shop) throw new Refused(404, 'Unknown shop');
    search = searchOf(query.q, shop.hash_key);
  }
  let after: { value: string; id: string } | undefined;
  if (query.after !== undefined) {
    const [value, id] = query.after.split(':') as [string, string];
    after = { value, id };
  }
  const filters = { zone: query.zone, kind: query.kind, reason: query.reason, search, ringDays: query.ringDays };
  // One more than asked: a next page only when there is more.
  const [rows, counts] = await Promise.all([stores.queue.page(shopId, { ...filters, limit: query.limit + 1, after }), stores.queue.counts(shopId, filters)]);
  const shown = rows.slice(0, query.limit);
  const items = await Promise.all(shown.map((row) => item(calibrations, shopId, row)));
  const last = shown.at(-1);
  return {
    items,
    next: rows.length > query.limit && last ? `${last.value}:${last.id}` : null,
    total: counts.total,
    counts: { zone: counts.zone, kind: counts.kind, reason: counts.reason },
    ringDays: query.ringDays,
  };
}

async function item(calibrations: CalibrationService, shopId: string, row: QueueRow): Promise<Sendable<QueueItem>> {
  const score = Number(row.score);
  const risk = await calibrations.riskOf(shopId, { version: row.ruleset_version, kind: row.subject_kind, score });
  const reasons = (['unlabelled', 'held', 'ring'] as const).filter((reason) => row[reason]);
  const advice = row.ring && row.zone === 'low' && !row.held ? CHECK_THE_RING : recommendation(row.subject_kind, row.zone, row.hold_status ? { status: row.hold_status } : null, risk);
  return {
    decisionId: row.id,
    kind: row.subject_kind,
    subjectId: row.subject_id,
    orderId: row.order_id,
    orderName: row.order_name,
    customerId: row.customer_id,
    value: Number(row.value),
    currency: row.currency,
    zone: row.zone,
    score: Math.round(score),
    headline: row.headline,
    recommendation: advice,
    reasons,
    revision: row.revision ?? 0,
    decidedAt: row.decided_at,
  };
}

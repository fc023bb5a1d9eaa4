import type { ChargebackRecord, IsoTime } from '../../../sdk/index.ts';
import { toMoney } from './money.ts';
import { PayloadError } from './PayloadError.ts';
import { disputePayload, type DisputePayload } from './disputePayload.ts';
import { shopifyGid } from './shopifyGid.ts';

/**
 * A disputes/* body as our ChargebackRecord. Webhooks use lowercase values (`"fraudulent"`,
 * `"under_review"`), GraphQL uppercase (FACTS §4.8); lowercase is kept. The id uses the
 * `ShopifyPaymentsDispute` type that the `disputes` query returns, not `OrderDisputeSummary`.
 * The amount is in the dispute's own currency (the sample disputes CAD on a USD order).
 */
export function normalizeDispute(body: unknown): ChargebackRecord {
  const p = disputePayload(body);
  if (p.order_id === null) throw new PayloadError('disputes/*', '/order_id', 'the dispute names no order');
  const type = p.type.toLowerCase();
  return {
    id: shopifyGid('ShopifyPaymentsDispute', p.id),
    orderId: shopifyGid('Order', p.order_id),
    initiatedAt: p.initiated_at,
    amount: toMoney(p.amount),
    ...(p.reason ? { reason: p.reason.toLowerCase() } : {}),
    status: p.status.toLowerCase(),
    ...(type === 'chargeback' || type === 'inquiry' ? { type } : {}),
  };
}

/** The latest moment the dispute body reports, for ordering disputes/update deliveries. */
export function disputeUpdatedAt(body: DisputePayload): IsoTime {
  const times = [body.initiated_at, body.evidence_sent_on, body.finalized_on].filter((t): t is string => !!t);
  return times.reduce((latest, t) => (Date.parse(t) > Date.parse(latest) ? t : latest));
}

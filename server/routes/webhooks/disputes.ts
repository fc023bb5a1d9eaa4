import type { HistoryEvent } from '../../../engine/history/index.ts';
import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `disputes/create`, `disputes/update`: the dispute stored as a chargeback of its order with the
 * delivery's record in one transaction (a dispute naming no order is ignored by the normalizer);
 * then the open decisions of the order's customer are revised with it (`RevisionTriggers`). For an
 * active shop, its chargebacks-week alert rules are checked too (best effort: a failure there is
 * logged, never the webhook's; the hourly check catches up).
 */
export const disputes: WebhookHandler<'dispute'> = {
  kind: 'dispute',
  async handle(context, webhook) {
    const { chargeback } = webhook;
    const verdict = await writeOnce(context, (trx) => context.deps.stores.events.upsert(context.shopId, { type: 'chargeback', chargeback } as HistoryEvent, trx));
    // A chargeback on any of the customer's orders: their open orders and returns are revised with it.
    if (verdict === 'new') await context.deps.revisions.orderCustomer(context.shopId, chargeback.orderId, { kind: 'chargeback', factId: chargeback.id, at: chargeback.initiatedAt });
    if (verdict === 'new' && context.shop?.status === 'active') {
      await context.deps.alerts.chargebackStored(context.shopId).catch((err: unknown) => context.deps.log.warn({ err, shopId: context.shopId }, 'chargeback alert rules not checked'));
    }
    return answer(verdict);
  },
};

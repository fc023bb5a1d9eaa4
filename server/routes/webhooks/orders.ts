import type { HistoryEvent } from '../../../engine/history/index.ts';
import type { OrderRecord } from '../../../sdk/index.ts';
import type { ScoreJob } from '../../jobs/queues.ts';
import { scoredInputChanged } from '../../services/RevisionTriggers.ts';
import { answer, scoreRequest, writeOnce, type WebhookHandler } from './handler.ts';

/** Of the order topics, those whose order is scored (when it has no decision yet). */
const SCORED = new Set(['orders/create', 'orders/updated']);

/**
 * `orders/create`, `orders/updated`, `orders/cancelled` (and the other order topics sharing their
 * body): the order and its customer's snapshot stored, the order scored for create and update.
 * The busiest topics: written by `OrderIntake` in a group commit with the other order webhooks in
 * flight (one statement; its scoring one `score-batch` job); a delivery without an event id or
 * resource goes through `writeOnce` like the other topics. An `orders/updated` that changes what
 * the signals read (lines, amounts, addresses, identifiers: `scoredInputChanged`) carries a
 * trigger, so a decided order that has not shipped is revised; other updates (payment status,
 * tags, a fulfilment) do not.
 */
export const orders: WebhookHandler<'order'> = {
  kind: 'order',
  async handle(context, webhook) {
    const { deps, shopId, delivery } = context;
    let score: ScoreJob | null = SCORED.has(webhook.topic) ? scoreRequest(context, 'order', webhook.resourceId) : null;
    if (score && webhook.topic === 'orders/updated') {
      const before = await deps.stores.events.get<OrderRecord>(shopId, 'order', webhook.order.id);
      // Dated by the order's updated_at (the time of the edit), else when Shopify sent it.
      if (before && scoredInputChanged(before, webhook.order)) score = { ...score, trigger: { kind: 'order.updated', factId: webhook.order.id, at: webhook.occurredAt ?? delivery.triggeredAt ?? new Date().toISOString() } };
    }
    const events: HistoryEvent[] = webhook.customer ? [{ type: 'customer', customer: webhook.customer }, { type: 'order', order: webhook.order }] : [{ type: 'order', order: webhook.order }];
    if (delivery.eventId && delivery.resourceId) {
      return answer(await deps.intake.submit({ delivery, customer: webhook.customer, events: await deps.stores.events.rowsOf(shopId, events), score }));
    }
    const verdict = await writeOnce(context, async (trx) => {
      if (webhook.customer) await deps.stores.customers.upsertSnapshot(shopId, webhook.customer, trx);
      await deps.stores.events.upsertAll(shopId, events, trx);
    });
    if (verdict === 'new' && score) await deps.queue.sendScore(score);
    return answer(verdict);
  },
};

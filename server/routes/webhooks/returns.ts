import type { OrderRecord, ReturnRecord } from '../../../sdk/index.ts';
import { withOrderLines } from '../../shopify/normalize/index.ts';
import { answer, scoreRequest, writeOnce, type WebhookHandler } from './handler.ts';

/** Of the return topics, those whose return is scored (when it has no decision yet). */
const SCORED = new Set(['returns/request', 'returns/approve']);

/**
 * `returns/request`, `returns/approve`, `returns/decline`, `returns/close`, `returns/cancel`
 * (and `returns/reopen`): the return stored, scored on request and approval. A body listing its
 * lines names its order's lines but not their prices or SKUs: the stored order gives them (the
 * returned value, SKU and product signals read them), as the backfill's returns get them. A
 * close/decline/cancel body carries no lines: the stored return keeps its lines and takes the new
 * status. Read and written in one transaction with the delivery's record.
 */
export const returns: WebhookHandler<'return'> = {
  kind: 'return',
  async handle(context, webhook) {
    const { deps, shopId } = context;
    const { events } = deps.stores;
    const verdict = await writeOnce(context, async (trx) => {
      let record = webhook.return;
      if (!webhook.complete) {
        const stored = await events.get<ReturnRecord>(shopId, 'return', record.id, trx);
        if (stored) record = { ...stored, status: record.status, closedAt: record.closedAt ?? stored.closedAt ?? null };
      } else {
        const order = await events.get<OrderRecord>(shopId, 'order', record.orderId, trx);
        if (order) record = withOrderLines(record, order);
      }
      await events.upsert(shopId, { type: 'return', return: record }, trx);
    });
    const score = SCORED.has(webhook.topic) ? scoreRequest(context, 'return', webhook.resourceId) : null;
    if (verdict === 'new' && score) await deps.queue.sendScore(score);
    return answer(verdict);
  },
};

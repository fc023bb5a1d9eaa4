import type { HistoryEvent } from '../../../engine/history/index.ts';
import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `disputes/create`, `disputes/update`: the dispute stored as a chargeback of its order with the
 * delivery's record in one transaction (a dispute naming no order is ignored by the normalizer).
 */
export const disputes: WebhookHandler<'dispute'> = {
  kind: 'dispute',
  async handle(context, webhook) {
    return answer(await writeOnce(context, (trx) => context.deps.stores.events.upsert(context.shopId, { type: 'chargeback', chargeback: webhook.chargeback } as HistoryEvent, trx)));
  },
};

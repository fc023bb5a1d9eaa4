import { answer, scoreRequest, writeOnce, type WebhookHandler } from './handler.ts';

/** `refunds/create`: the refund stored with the delivery's record in one transaction, then scored. */
export const refunds: WebhookHandler<'refund'> = {
  kind: 'refund',
  async handle(context, webhook) {
    const { deps, shopId } = context;
    const verdict = await writeOnce(context, (trx) => deps.stores.events.upsert(shopId, { type: 'refund', refund: webhook.refund }, trx));
    const score = scoreRequest(context, 'refund', webhook.resourceId);
    if (verdict === 'new' && score) await deps.queue.sendScore(score);
    return answer(verdict);
  },
};

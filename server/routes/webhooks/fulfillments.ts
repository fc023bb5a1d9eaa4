import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `fulfillments/create`, `fulfillments/update`: the fulfilment stored (shipped, delivered) with the
 * delivery's record in one transaction. The order has shipped, so its decision is final; its open
 * returns, which may have been decided without the delivery, are revised with it.
 */
export const fulfillments: WebhookHandler<'fulfillment'> = {
  kind: 'fulfillment',
  async handle(context, webhook) {
    const { fulfillment } = webhook;
    const verdict = await writeOnce(context, (trx) => context.deps.stores.events.upsert(context.shopId, { type: 'fulfillment', fulfillment }, trx));
    if (verdict === 'new') {
      await context.deps.revisions.order(context.shopId, fulfillment.orderId, ['return'], { kind: 'fulfillment', factId: fulfillment.id, at: fulfillment.deliveredAt ?? fulfillment.createdAt });
    }
    return answer(verdict);
  },
};

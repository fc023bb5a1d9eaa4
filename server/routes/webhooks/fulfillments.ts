import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/** `fulfillments/create`, `fulfillments/update`: the fulfilment stored (shipped, delivered) with the delivery's record in one transaction; nothing scored. */
export const fulfillments: WebhookHandler<'fulfillment'> = {
  kind: 'fulfillment',
  async handle(context, webhook) {
    return answer(await writeOnce(context, (trx) => context.deps.stores.events.upsert(context.shopId, { type: 'fulfillment', fulfillment: webhook.fulfillment }, trx)));
  },
};

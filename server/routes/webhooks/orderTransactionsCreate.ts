import { answer, scoreUndecidedOrder, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `order_transactions/create`: the transaction stored with the delivery's record in one
 * transaction; the card that paid becomes the stored order's `identity.payment` (its checkout
 * facts, refreshed in the same transaction). The order is then scored if it is stored and not
 * decided yet: webhooks come in any order.
 */
export const orderTransactionsCreate: WebhookHandler<'transaction'> = {
  kind: 'transaction',
  async handle(context, webhook) {
    const { stores } = context.deps;
    const { transaction } = webhook;
    const verdict = await writeOnce(context, async (trx) => {
      await stores.events.upsert(context.shopId, { type: 'transaction', transaction }, trx);
      if (transaction.cardHash) await stores.events.refreshCheckoutFacts(context.shopId, transaction.orderId, trx);
    });
    if (verdict === 'new') await scoreUndecidedOrder(context, transaction.orderId);
    return answer(verdict);
  },
};

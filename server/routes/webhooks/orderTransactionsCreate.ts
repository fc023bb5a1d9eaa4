import { answer, scoreOrderWith, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `order_transactions/create`: the transaction stored with the delivery's record in one
 * transaction; the card that paid becomes the stored order's `identity.payment` (its checkout
 * facts, refreshed in the same transaction). The order is then scored with it if it is stored:
 * decided if it was not yet (webhooks come in any order), else its decision revised while the
 * order is open (`ScoringService.revise`).
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
    // The order is scored with it: decided now if it was not yet, else revised while it has not shipped.
    if (verdict === 'new') await scoreOrderWith(context, transaction.orderId, { kind: 'transaction', factId: transaction.id, at: transaction.createdAt });
    return answer(verdict);
  },
};

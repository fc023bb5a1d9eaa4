import { answer, scoreUndecidedOrder, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `orders/risk_assessment_changed`: Shopify's own assessment stored with the delivery's record in
 * one transaction, and given to the stored order as `shopifyRisk` (its checkout facts, refreshed in
 * the same transaction). The order is then scored if it is stored and not decided yet.
 */
export const ordersRiskAssessmentChanged: WebhookHandler<'risk'> = {
  kind: 'risk',
  async handle(context, webhook) {
    const { stores } = context.deps;
    const { risk } = webhook;
    const verdict = await writeOnce(context, async (trx) => {
      await stores.events.upsert(context.shopId, { type: 'risk', risk }, trx);
      await stores.events.refreshCheckoutFacts(context.shopId, risk.orderId, trx);
    });
    if (verdict === 'new') await scoreUndecidedOrder(context, risk.orderId);
    return answer(verdict);
  },
};

import { paymentIdentityOf, type OrderRecord, type RiskAssessmentRecord, type ShopifyRiskSummary, type TransactionRecord } from '../../sdk/index.ts';

/** Shopify's assessment as the order record carries it. */
export function riskSummary(risk: RiskAssessmentRecord): ShopifyRiskSummary {
  return { level: risk.level, assessedAt: risk.assessedAt, ...(risk.facts ? { facts: risk.facts } : {}) };
}

/**
 * The order with the facts its checkout records give it, as the database gives a stored order
 * (the `events_order_checkout_facts` trigger): `identity.payment`, the card that paid
 * (`paymentIdentityOf` its transactions; the order's own when none carries a card), and
 * `shopifyRisk`, Shopify's latest assessment. The same object when nothing changes.
 */
export function withCheckoutFacts(order: OrderRecord, transactions: readonly TransactionRecord[] | undefined, risk: RiskAssessmentRecord | undefined): OrderRecord {
  const payment = transactions ? paymentIdentityOf(transactions) : undefined;
  const paymentChanged = payment !== undefined && order.identity?.payment !== payment;
  const riskChanged = risk !== undefined && JSON.stringify(order.shopifyRisk) !== JSON.stringify(riskSummary(risk));
  if (!paymentChanged && !riskChanged) return order;
  return {
    ...order,
    ...(paymentChanged ? { identity: { ...order.identity, payment } } : {}),
    ...(riskChanged ? { shopifyRisk: riskSummary(risk) } : {}),
  };
}

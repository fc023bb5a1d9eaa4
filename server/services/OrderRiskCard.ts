import type { OrderRiskCard } from '../../contract/orders.ts';
import type { Stores } from '../store/index.ts';
import type { CalibrationService } from './CalibrationService.ts';

export type { OrderRiskCard } from '../../contract/orders.ts';

/**
 * The recommendation, from the zone, whether RefundSentry holds the fulfilment, and the calibrated
 * fraud risk when it is a number and at least twice the rate of all the version's known outcomes.
 */
export function recommend(card: Pick<OrderRiskCard, 'decision' | 'hold' | 'chargebackRisk'>): string {
  const { decision, hold, chargebackRisk } = card;
  if (!decision) return 'Not scored yet: RefundSentry scores an order within seconds of its creation.';
  const p = chargebackRisk?.probability ?? null;
  const base = chargebackRisk?.baseRate ?? null;
  const risk = p !== null && base !== null && base > 0 && p >= 2 * base ? ` Fraud risk ${(p * 100).toFixed(1)}%, ${(p / base).toFixed(1)}× the rate of all orders with a known outcome.` : '';
  if (decision.zone === 'high') {
    if (hold?.status === 'done') return `Fulfilment is on hold. Review the signals below, then release the hold in RefundSentry or cancel and refund.${risk}`;
    if (hold?.status === 'released') return `High risk; the hold was released by staff. Keep the evidence if the order is disputed.${risk}`;
    return `High risk: review before fulfilling (verify the customer, or cancel and refund).${risk}`;
  }
  if (decision.zone === 'medium') return `Medium risk: check the signals below before shipping.${risk}`;
  return `Low risk: no action needed.${risk}`;
}

export async function orderRiskCard(stores: Stores, calibrations: CalibrationService, shopId: string, orderId: string): Promise<OrderRiskCard | undefined> {
  const order = await stores.events.get<{ customerId?: string | null }>(shopId, 'order', orderId);
  if (!order) return undefined;
  const row = await stores.decisions.bySubject(shopId, orderId);
  const customerId = order.customerId ?? null;
  const [actions, chargebackRisk, totals, profile, high] = await Promise.all([
    row ? stores.actions.forDecision(shopId, row.id) : Promise.resolve([]),
    row ? calibrations.riskOf(shopId, { version: row.ruleset_version, kind: 'order', score: Number(row.score) }) : Promise.resolve(null),
    customerId ? stores.events.customerTotals(shopId, customerId) : Promise.resolve(undefined),
    customerId ? stores.customers.get(shopId, customerId) : Promise.resolve(undefined),
    customerId ? stores.decisions.list(shopId, { customerId, zone: 'high', limit: 200 }) : Promise.resolve([]),
  ]);
  const decision = row ? { id: String(row.id), score: Number(row.score), zone: row.zone, decidedAt: row.decided_at.toISOString(), rulesetVersion: row.ruleset_version } : null;
  const holdRow = actions.find((a) => a.type === 'fulfillment.hold' && a.status !== 'skipped');
  const hold = holdRow ? { actionId: String(holdRow.id), status: holdRow.status } : null;
  const card: OrderRiskCard = {
    orderId,
    decision,
    topSignals: row ? row.trace.signals.filter((s) => s.status === 'hit' && s.points > 0).sort((a, b) => b.points - a.points).slice(0, 3).map(({ id, points, message }) => ({ id, points, message })) : [],
    customer: customerId && totals ? { id: customerId, ...totals, highDecisions: high.length, currentZone: profile?.current_zone ?? null } : null,
    hold,
    chargebackRisk,
    recommendation: '',
  };
  card.recommendation = recommend(card);
  return card;
}

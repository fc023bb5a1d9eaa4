import type { Kind, OutcomeRisk, Recommendation, Zone } from '../../contract/index.ts';
import type { OrderRiskCard } from '../../contract/orders.ts';
import type { Stores } from '../store/index.ts';
import type { CalibrationService } from './CalibrationService.ts';

export type { OrderRiskCard } from '../../contract/orders.ts';

const KIND_PLURAL: Record<Kind, string> = { order: 'orders', return: 'returns', refund: 'refunds' };
const ZONE_WORD: Record<Zone, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/**
 * What to do next about a decided subject, from its kind and zone, the fulfilment hold
 * RefundSentry placed on an order (its action's status: `done` placed, `released`), and the
 * calibrated fraud risk when it is a number and at least twice the rate of all the version's
 * known outcomes of that kind. One owner: the order card (`recommend`), the decision page
 * (`GET /api/decisions/{id}`) and the review queue take their words from here. `step` is the
 * short form ("Review before fulfilling"), `text` the sentence (the order card's words).
 */
export function recommendation(kind: Kind, zone: Zone, hold: { status: string } | null, risk: OutcomeRisk | null): Recommendation {
  const p = risk?.probability ?? null;
  const base = risk?.baseRate ?? null;
  const figure = p !== null && base !== null && base > 0 && p >= 2 * base ? ` Fraud risk ${(p * 100).toFixed(1)}%, ${(p / base).toFixed(1)}× the rate of all ${KIND_PLURAL[kind]} with a known outcome.` : '';
  const say = (step: string, text: string): Recommendation => ({ step, text: `${text}${figure}` });
  if (kind === 'order') {
    if (zone === 'high') {
      if (hold?.status === 'done') return say('Review, then release the hold or cancel', 'Fulfilment is on hold. Review the signals below, then release the hold in RefundSentry or cancel and refund.');
      if (hold?.status === 'released') return say('Keep the evidence', 'High risk; the hold was released by staff. Keep the evidence if the order is disputed.');
      return say('Review before fulfilling', 'High risk: review before fulfilling (verify the customer, or cancel and refund).');
    }
    // A revision lowered the zone while the hold RefundSentry placed still keeps the order from shipping.
    if (hold?.status === 'done') return say('Release the hold', `${ZONE_WORD[zone]} risk now, but fulfilment is still on hold from an earlier, higher score: release the hold unless you have another reason to keep it.`);
    if (zone === 'medium') return say('Check before shipping', 'Medium risk: check the signals below before shipping.');
    return say('No action needed', 'Low risk: no action needed.');
  }
  if (kind === 'return') {
    if (zone === 'high') return say('Inspect before refunding', 'High risk: inspect the returned items before refunding (offer store credit or an exchange, or refuse the return if it breaks your policy).');
    if (zone === 'medium') return say('Check before refunding', 'Medium risk: check the signals below and the returned items before approving the refund.');
    return say('No action needed', 'Low risk: no action needed.');
  }
  if (zone === 'high') return say('Keep the evidence', 'High risk: the refund is already issued. Keep the evidence in case the order is disputed, and consider blocking the buyer.');
  if (zone === 'medium') return say('Review the refund', 'Medium risk: check the signals below, and label the outcome once you know it.');
  return say('No action needed', 'Low risk: no action needed.');
}

/** The order card's recommendation (`recommendation` for an order), or that the order is not scored yet. */
export function recommend(card: Pick<OrderRiskCard, 'decision' | 'hold' | 'chargebackRisk'>): string {
  const { decision, hold, chargebackRisk } = card;
  if (!decision) return 'Not scored yet: RefundSentry scores an order within seconds of its creation.';
  return recommendation('order', decision.zone, hold, chargebackRisk).text;
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

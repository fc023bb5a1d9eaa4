import type { PastDecision, ShopifyId, SignalContext } from '../../sdk/index.ts';
import { defineSignal } from '../../sdk/index.ts';
import { DAY_MS, ms, ramp, round2, unit, withinDays } from '../support.ts';

interface Params {
  lookbackDays: number;
  halfLifeDays: number;
  graceIncidents: number;
  fullAt: number;
  mediumWeight: number;
  minRise: number;
  trendStrength: number;
}

/** Past decisions of one kind needed to judge a trend: the two latest against at least one before. */
const TREND_RECENT = 2;
const TREND_MIN = 3;

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * The order each earlier decision was about: an order's own id, a return's or refund's order
 * (from the customer's history). An order, its returns and its refunds are one incident.
 */
function incidentOf(ctx: SignalContext): (d: PastDecision) => ShopifyId {
  const orderOf = new Map<ShopifyId, ShopifyId>();
  for (const r of ctx.history.returns) orderOf.set(r.id, r.orderId);
  for (const r of ctx.history.refunds) orderOf.set(r.id, r.orderId);
  return (d) => orderOf.get(d.subjectId) ?? d.subjectId;
}

/**
 * RefundSentry's own earlier verdicts on this customer, read once, so that they cannot stack.
 *
 * It replaces three signals that each read those verdicts (`customer.prior-high-risk-decisions`
 * 1.x, `customer.prior-risk-tags`, `customer.risk-trajectory`, the last two retired): once an
 * honest heavy returner had one HIGH decision, they added about 30 points to every later one, and
 * the risk tag (set from the latest decision's zone) kept itself HIGH. Here:
 * - incidents, not decisions: an order, its returns and its refunds are one incident (a HIGH order
 *   and its HIGH refund are one verdict, not two); the subject's own incident is left out;
 * - the first `graceIncidents` HIGH incidents count nothing: one verdict can be the mistake this
 *   signal would otherwise repeat forever; only repeated verdicts on distinct orders are evidence;
 * - each incident fades with a half-life, so a customer whose behaviour changed stops paying;
 * - MEDIUM (review) verdicts count `mediumWeight` (0 by default: MEDIUM is where honest heavy
 *   returners live, and their returns are scored again by the return signals themselves);
 * - a rising trend (the two latest scores of the subject's kind well above the earlier ones) adds
 *   at most `trendStrength`: scores of orders and of returns are not compared with each other.
 * The customer's risk tag is not read: point-in-time it is the latest decision's zone, already
 * in `history.decisions`. The trace of an earlier decision is not available to a signal (only its
 * score and zone), so "verdicts driven by this signal" are bounded by the grace and the cap instead.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-high-risk-decisions',
    version: '2.0.0',
    title: 'Repeated high-risk verdicts',
    description:
      "RefundSentry judged this customer's other orders high risk again and again: its own earlier verdicts, read once. An order, its returns and refunds are one incident; the first high-risk incident counts nothing (one verdict may be wrong, and counting it would repeat it on every later decision); incidents fade with a half-life; a rising trend of the customer's scores adds a little. Replaces customer.prior-risk-tags (the risk tag is the latest verdict's zone) and customer.risk-trajectory, which stacked with it.",
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 365, description: 'How far back to look.' },
        halfLifeDays: { type: 'number', minimum: 1, maximum: 3650, default: 180, description: 'An incident counts half after this many days.' },
        graceIncidents: { type: 'number', minimum: 0, maximum: 10, default: 1, description: 'Weighted incidents that count nothing: the first high-risk verdict alone adds no points.' },
        fullAt: { type: 'number', minimum: 0.5, maximum: 50, default: 3, description: 'Weighted incidents that give full strength (fresh high-risk incidents count 1 each).' },
        mediumWeight: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'How much a medium-zone incident counts next to a high one.' },
        minRise: { type: 'number', minimum: 1, maximum: 100, default: 15, description: 'Score points the two latest scores of the same kind must average above the earlier ones to count as rising.' },
        trendStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.3, description: 'The most a rising trend alone gives (reached at three times minRise).' },
      },
    },
    needs: ['subject', 'customer', 'history.decisions', 'history.returns', 'history.refunds'],
    messages: {
      repeated: 'Other orders judged high risk in the last {{lookbackDays}} days: {{highIncidents}} (and {{mediumIncidents}} medium), counting {{weighted}} with a {{halfLifeDays}}-day half-life, the first {{graceIncidents}} free.',
      rising: 'Recent {{kind}} scores average {{recentMean}} against {{earlierMean}} before ({{kindDecisions}} decisions).',
      notRepeated: '{{highIncidents}} other order(s) judged high risk in the last {{lookbackDays}} days, counting {{weighted}} once faded: not above the {{graceIncidents}} that count nothing (one verdict alone is no pattern).',
      none: 'No other order judged high risk in the last {{lookbackDays}} days.',
      guest: 'Guest checkout: no earlier decisions to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const incident = incidentOf(ctx);
    const own = ctx.subject.order.id;
    const now = ms(ctx.now);
    const recent = ctx.history.decisions
      .filter((d) => withinDays(ctx, d.at, params.lookbackDays) && incident(d) !== own)
      .sort((a, b) => ms(a.at) - ms(b.at));

    // Each incident counts once, at its strongest (zone weight × fading with age).
    const worth = new Map<ShopifyId, number>();
    const high = new Set<ShopifyId>();
    const medium = new Set<ShopifyId>();
    for (const d of recent) {
      const zone = d.zone.toLowerCase();
      const zoneWeight = zone === 'high' ? 1 : zone === 'medium' ? params.mediumWeight : 0;
      const key = incident(d);
      if (zone === 'high') high.add(key);
      if (zone === 'medium') medium.add(key);
      const value = zoneWeight * 0.5 ** ((now - ms(d.at)) / DAY_MS / params.halfLifeDays);
      if (value > (worth.get(key) ?? 0)) worth.set(key, value);
    }
    const weighted = [...worth.values()].reduce((sum, v) => sum + v, 0);
    const repeat = unit((weighted - params.graceIncidents) / Math.max(0.5, params.fullAt - params.graceIncidents));

    // The trend, among decisions of the subject's own kind.
    const kind = ctx.subject.kind;
    const scores = recent.filter((d) => d.kind === kind).map((d) => d.score);
    let trend = 0;
    let trendEvidence = {};
    if (scores.length >= TREND_MIN) {
      const recentMean = mean(scores.slice(-TREND_RECENT));
      const earlierMean = mean(scores.slice(0, -TREND_RECENT));
      const rise = recentMean - earlierMean;
      trend = rise >= params.minRise ? params.trendStrength * ramp(rise, params.minRise, 3 * params.minRise) : 0;
      trendEvidence = { recentMean: round2(recentMean), earlierMean: round2(earlierMean), rise: round2(rise) };
    }

    const strength = round2(Math.max(repeat, trend));
    const evidence = {
      highIncidents: high.size,
      mediumIncidents: [...medium].filter((key) => !high.has(key)).length,
      weighted: round2(weighted),
      graceIncidents: params.graceIncidents,
      halfLifeDays: params.halfLifeDays,
      lookbackDays: params.lookbackDays,
      kind,
      kindDecisions: scores.length,
      ...trendEvidence,
      repeat: round2(repeat),
      trend: round2(trend),
    };
    if (strength <= 0) return { status: 'no_hit', messageId: high.size > 0 ? 'notRepeated' : 'none', evidence };
    return { status: 'hit', strength, messageId: repeat >= trend ? 'repeated' : 'rising', evidence };
  },
});

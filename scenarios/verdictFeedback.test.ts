import { describe, expect, it } from 'vitest';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type CompiledRuleset, type Decision, type Ruleset } from '../engine/index.ts';
import { replayHistory } from '../engine/history/index.ts';
import { rescoreChanged } from '../engine/simulate/rescoreChanged.ts';
import { SignalMatrix } from '../engine/simulate/signalMatrix.ts';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';

/**
 * The verdict-feedback guard (issue 21 item 5): RefundSentry's own earlier verdicts must not lift
 * every later decision of a customer. Before it, three signals read them (prior HIGH decisions,
 * the risk tag set from the latest zone, the score trajectory): an honest heavy returner's one
 * HIGH decision added up to 30 points (about 7 on average) to each of their later decisions.
 *
 * The shop is generated from Shopify's webhook bodies through the app's normalizers; a wrong HIGH
 * verdict is made by a custom signal of the ruleset that fires on chosen returns only (weight
 * 100), so the engine itself decides them HIGH and feeds them to the later decisions.
 */
const VERDICTS = 'customer.prior-high-risk-decisions';
const registry = createRegistry(builtinSignals);
const shop = generateShop({ seed: 7, customers: 300 });
const customerOf = new Map(shop.labels.map((l) => [l.subjectId, l.customerId]));
const orderOf = new Map<string, string>();
for (const e of shop.events) {
  if (e.type === 'order') orderOf.set(e.order.id, e.order.id);
  if (e.type === 'return') orderOf.set(e.return.id, e.return.orderId);
  if (e.type === 'refund') orderOf.set(e.refund.id, e.refund.orderId);
}
const returnsOf = new Map<string, { id: string; at: number }[]>();
for (const e of shop.events) {
  if (e.type !== 'return') continue;
  const label = shop.labels.find((l) => l.subjectId === e.return.id);
  if (label?.pattern !== 'honest-heavy-returner') continue;
  returnsOf.set(label.customerId, [...(returnsOf.get(label.customerId) ?? []), { id: e.return.id, at: Date.parse(e.return.createdAt) }]);
}
const weight = (defaultRuleset as Ruleset).signals[VERDICTS].weight!;
const trendStrength = builtinSignals.find((s) => s.meta.id === VERDICTS)!.meta.params.properties!.trendStrength.default as number;

/** The default ruleset, with the returns given decided HIGH whatever else they show. */
function forcing(returnIds: string[]): CompiledRuleset {
  const body = structuredClone(defaultRuleset) as Ruleset;
  body.customSignals = [
    ...(body.customSignals ?? []),
    { id: 'custom.wrong-verdict', title: 'A HIGH verdict on this return', appliesTo: ['return'], when: `subject.id in ${JSON.stringify(returnIds)}`, weight: 100 },
  ];
  return compileRuleset(body, registry);
}
const replay = (compiled: CompiledRuleset) => [...replayHistory(shop.events, compiled, { shopId: 'generated.myshopify.com' })].map((r) => r.decision);
const verdictLine = (d: Decision) => d.signals.find((s) => s.id === VERDICTS)!;

/** Each row's results that add points, as `id status strength` lines sorted by id. */
function rowsOf(matrix: SignalMatrix): string[][] {
  return Array.from({ length: matrix.subjects }, (_, r) => {
    const lines: string[] = [];
    for (let k = matrix.rowStart[r]; k < matrix.rowStart[r + 1]; k++) lines.push(`${matrix.signalIds[matrix.column[k]]} ${matrix.status[k]} ${matrix.strength[k]}`);
    return lines.sort();
  });
}

/** Each chosen customer's decisions after their last forced return, with the forced ones. */
function after(decisions: Decision[], forced: Map<string, string[]>) {
  const last = new Map<string, number>();
  for (const [customer, ids] of forced) last.set(customer, Math.max(...ids.map((id) => decisions.findIndex((d) => d.subject.id === id))));
  return decisions.filter((d, i) => {
    const customer = customerOf.get(d.subject.id);
    return customer !== undefined && last.has(customer) && i > last.get(customer)!;
  });
}

describe('verdict feedback', () => {
  const plain = replay(compileRuleset(defaultRuleset as Ruleset, registry));
  const plainScore = new Map(plain.map((d) => [d.subject.id, d.score]));

  it("an honest heavy returner's one HIGH decision lifts their later decisions by a small bounded amount, most by nothing", () => {
    // Each honest heavy returner's first return decided HIGH: a wrong verdict.
    const forced = new Map([...returnsOf].map(([customer, returns]) => [customer, [returns[0].id]]));
    expect(forced.size).toBeGreaterThanOrEqual(8);
    const decisions = replay(forcing([...forced.values()].flat()));
    for (const ids of forced.values()) expect(decisions.find((d) => d.subject.id === ids[0])!.zone).toBe('high');
    const later = after(decisions, forced);
    expect(later.length).toBeGreaterThan(80);
    const bound = trendStrength * weight;
    for (const d of later) {
      const line = verdictLine(d);
      // The one verdict never counts as a repeat: at most the capped trend, here 6 points of 20.
      expect(line.evidence.repeat, d.subject.id).toBe(0);
      expect(line.points, d.subject.id).toBeLessThanOrEqual(bound);
      expect(d.score - plainScore.get(d.subject.id)!, d.subject.id).toBeLessThanOrEqual(bound);
    }
    // With the three signals before 2.0.0 (15/15/10), on this shop: 7.0 points on average, up to 30, on 99% of them.
    const lifted = later.filter((d) => verdictLine(d).points > 0);
    expect(lifted.length / later.length).toBeLessThan(0.05);
    expect(later.reduce((sum, d) => sum + verdictLine(d).points, 0) / later.length).toBeLessThan(0.5);
  });

  it('a customer decided HIGH again and again, on distinct orders, still gets the signal', () => {
    // The three returns closest together of each honest heavy returner with three or more, decided HIGH.
    const forced = new Map<string, string[]>();
    for (const [customer, returns] of returnsOf) {
      if (returns.length < 3) continue;
      let best = 0;
      for (let i = 1; i + 2 < returns.length; i++) if (returns[i + 2].at - returns[i].at < returns[best + 2].at - returns[best].at) best = i;
      forced.set(customer, returns.slice(best, best + 3).map((r) => r.id));
    }
    expect(forced.size).toBeGreaterThanOrEqual(4);
    const decisions = replay(forcing([...forced.values()].flat()));
    const later = after(decisions, forced);
    // The first later decision of each about another order than the forced returns' (whose refunds are the same incidents).
    const forcedOrders = new Set([...forced.values()].flat().map((id) => orderOf.get(id)));
    const next = [...forced.keys()].flatMap((customer) => later.find((d) => customerOf.get(d.subject.id) === customer && !forcedOrders.has(orderOf.get(d.subject.id))) ?? []);
    expect(next.length).toBeGreaterThanOrEqual(4);
    for (const d of next) {
      const line = verdictLine(d);
      expect(line.status, d.subject.id).toBe('hit');
      expect(line.evidence.highIncidents, d.subject.id).toBe(3);
      expect(line.points, d.subject.id).toBeGreaterThan(trendStrength * weight);
    }
    expect(next.reduce((sum, d) => sum + verdictLine(d).points, 0) / next.length).toBeGreaterThanOrEqual(10);
  });

  it('serial returners decided HIGH on distinct orders get it without any forcing', () => {
    const serial = new Set(shop.labels.filter((l) => l.pattern === 'serial-returner').map((l) => l.customerId));
    const repeated = plain.filter((d) => serial.has(customerOf.get(d.subject.id)!) && (verdictLine(d).evidence.highIncidents as number) >= 3);
    expect(repeated.length).toBeGreaterThan(10);
    expect(repeated.filter((d) => verdictLine(d).status === 'hit').length / repeated.length).toBeGreaterThan(0.9);
  });

  it('the simulator stays exact: a draft that changes verdicts re-runs the signal for the later decisions and equals its full replay', () => {
    const [customer, returns] = [...returnsOf].find(([, r]) => r.length >= 3)!;
    const draft = forcing(returns.slice(0, 3).map((r) => r.id));
    const live = compileRuleset(defaultRuleset as Ruleset, registry);
    const stored = SignalMatrix.fromDecisions(plain);
    const result = rescoreChanged(shop.events, stored, live, draft, { shopId: 'generated.myshopify.com' });
    const exact = replay(draft);
    expect(result.report.exact).toBe(true);
    expect(result.report.feedForward.signals).toContain(VERDICTS);
    expect(result.report.feedForward.customersWithChangedVerdicts).toBeGreaterThanOrEqual(1);
    expect(result.matrix.subjectIds).toEqual(exact.map((d) => d.subject.id));
    expect(rowsOf(result.matrix)).toEqual(rowsOf(SignalMatrix.fromDecisions(exact)));
    exact.forEach((d, row) => expect(result.scores.scoreCents[row] / 100, d.subject.id).toBe(d.score));
    // And it did change something: the customer's later orders carry the signal in the draft.
    expect(exact.some((d) => customerOf.get(d.subject.id) === customer && verdictLine(d).status === 'hit')).toBe(true);
  });
});

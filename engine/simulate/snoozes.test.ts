import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset, type CompiledRuleset } from '../compileRuleset.ts';
import type { Decision } from '../decision.ts';
import { replayHistory, type ReplayOptions } from '../history/replayHistory.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import type { Snooze } from '../score.ts';
import { rescoreChanged } from './rescoreChanged.ts';
import { reweigh, SignalMatrix } from './signalMatrix.ts';
import { simulate } from './simulate.ts';

/**
 * Snoozes in every path of the scoring kernel (issue 22): live scoring zeroes a snoozed signal for
 * the subjects of its customer in its time; a replay, the re-weighing of stored decisions (the
 * preview), `rescoreChanged` (the preview with changed params) and the simulator must too. Before
 * the kernel, nothing under simulate/ knew snoozes and re-weighed a snoozed hit at full points.
 */
const registry = createRegistry(builtinSignals);
const { events } = generateShop({ seed: 5, customers: 120, start: '2025-01-01', days: 200 });
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const ZONE = ['low', 'medium', 'high'];
const replay = (compiled: CompiledRuleset, options: ReplayOptions) => [...replayHistory(events, compiled, options)].map((r) => r.decision);

// Snoozes of every signal that added points to the MEDIUM and HIGH subjects of a 60-day stretch in
// the middle of the history, for their customers: subjects before, inside and after each snooze.
const plain = replay(live, { shopId: 's' });
const customerOf = new Map<string, string | null>();
for (const e of events) if (e.type === 'order') customerOf.set(e.order.id, e.order.customerId ?? null);
const orderOf = new Map<string, string>();
for (const e of events) {
  if (e.type === 'return') orderOf.set(e.return.id, e.return.orderId);
  if (e.type === 'refund') orderOf.set(e.refund.id, e.refund.orderId);
}
const FROM = '2025-03-15T00:00:00.000Z';
const UNTIL = '2025-05-14T00:00:00.000Z';
const snoozeKeys = new Set<string>();
for (const d of plain) {
  const customerId = customerOf.get(orderOf.get(d.subject.id) ?? d.subject.id);
  if (!customerId || d.zone === 'low' || d.subject.at < FROM || d.subject.at >= UNTIL) continue;
  for (const s of d.signals) if (s.status === 'hit' && s.points > 0) snoozeKeys.add(`${customerId} ${s.id}`);
}
const snoozes: Snooze[] = [...snoozeKeys].sort().map((key) => {
  const [customerId, signalId] = key.split(' ') as [string, string];
  return { customerId, signalId, startsAt: FROM, expiresAt: UNTIL, by: 'staff@shop', reason: 'known good buyer' };
});
const busiest = [...Map.groupBy(snoozes, (s) => s.signalId)].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
const snoozed = replay(live, { shopId: 's', snoozes });
const snoozedLines = snoozed.flatMap((d) => d.signals.filter((s) => s.snoozed !== undefined && s.status === 'hit'));

describe('snoozes through the scoring kernel', () => {
  it('a replay zeroes snoozed hits in their time only, as live scoring does', () => {
    expect(snoozedLines.length).toBeGreaterThan(20);
    for (const line of snoozedLines) expect(line.points).toBe(0);
    expect(snoozed.filter((d, i) => d.score !== plain[i]!.score).length).toBeGreaterThan(10);
    expect(snoozed.filter((d, i) => d.zone !== plain[i]!.zone).length).toBeGreaterThan(0);
    // Before the snoozes, every decision is as without them; outside them, no line is snoozed.
    snoozed.forEach((d, i) => {
      if (d.subject.at < FROM) expect(JSON.stringify(d)).toBe(JSON.stringify(plain[i]));
      if (d.subject.at < FROM || d.subject.at >= UNTIL) expect(d.signals.some((s) => s.snoozed)).toBe(false);
    });
  });

  it('re-weighing the stored decisions gives their scores and zones (a snoozed hit stays at 0 points)', () => {
    const result = reweigh(SignalMatrix.fromDecisions(snoozed), live);
    snoozed.forEach((d, row) => {
      expect(result.scoreCents[row]! / 100, d.subject.id).toBe(d.score);
      expect(ZONE[result.zones[row]!]).toBe(d.zone);
    });
    // The bug this guards against: without the snooze flags, snoozed hits count at full points.
    const unflagged = reweigh(SignalMatrix.fromResults(snoozed.map((d) => ({ subjectId: d.subject.id, kind: d.subject.kind, signals: d.signals }))), live);
    expect(snoozed.filter((d, row) => unflagged.scoreCents[row]! / 100 !== d.score).length).toBeGreaterThan(10);
  });

  it('rescoreChanged with the snoozed signal changed equals the draft replayed with the snoozes', () => {
    // The most snoozed signal with a numeric param, that param moved: it runs again for every subject.
    const [signalId, name, spec] = busiest
      .flatMap(([id]) => Object.entries(registry.get(id)?.meta.params.properties ?? {}).map(([param, p]) => [id, param, p as { type?: string; default?: unknown }] as const))
      .find(([, , p]) => typeof p.default === 'number')!;
    const body = structuredClone(defaultRuleset) as Ruleset;
    const moved = spec.type === 'integer' ? (spec.default as number) + 1 : (spec.default as number) * 0.9;
    body.signals[signalId] = { ...body.signals[signalId], params: { [name]: moved } };
    const draft = compileRuleset(body, registry);
    const result = rescoreChanged(events, SignalMatrix.fromDecisions(snoozed), live, draft, { shopId: 's', snoozes });
    expect(result.report.recomputed[signalId]).toBeGreaterThan(0);
    const exact = replay(draft, { shopId: 's', snoozes });
    exact.forEach((d, row) => {
      expect(result.scores.scoreCents[row]! / 100, d.subject.id).toBe(d.score);
      expect(ZONE[result.scores.zones[row]!]).toBe(d.zone);
    });
  });

  it('the simulator of the live version against itself with the snoozes gives the live zones, and without them does not', () => {
    const window = { from: '2000-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    const zonesOf = (decisions: Decision[]) => {
      const counts = { low: 0, medium: 0, high: 0 };
      for (const d of new Map(decisions.map((x) => [x.subject.id, x])).values()) counts[d.zone]++;
      return counts;
    };
    const zones = zonesOf(snoozed);
    const report = simulate(events, live, live, { shopId: 's', window, snoozes });
    expect(report.zones.before).toEqual(zones);
    expect(report.zones.after).toEqual(zones);
    expect(report.flips).toEqual([]);
    // Without the snoozes it answers the zones of a shop without them, not the live ones.
    const plainZones = zonesOf(plain);
    expect(plainZones).not.toEqual(zones);
    expect(simulate(events, live, live, { shopId: 's', window }).zones.after).toEqual(plainZones);
  });
});

import { describe, expect, it } from 'vitest';
import { orderContext } from '../sdk/testing/index.ts';
import { compileRuleset } from './compileRuleset.ts';
import { createRegistry } from './registry.ts';
import type { Ruleset } from './ruleset.ts';
import { fixedSignal } from './testing/testSignals.ts';

const registry = createRegistry([
  fixedSignal('test.hit-strong', { status: 'hit', strength: 1, message: 'strong' }, 40),
  fixedSignal('test.hit-half', { status: 'hit', strength: 0.5, message: 'half' }, 30),
]);
const ruleset: Ruleset = {
  id: 'test',
  version: 1,
  appliesTo: ['order'],
  zones: { medium: 31, high: 66 },
  signals: { 'test.hit-strong': {}, 'test.hit-half': {} },
  actions: [{ id: 'hold', on: ['order'], conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'medium' }] }, do: [{ type: 'fulfillment.hold' }] }],
};

describe('decide with snoozed signals', () => {
  const compiled = compileRuleset(ruleset, registry);

  it('keeps a snoozed signal in the trace with its status and the snooze, scores it 0, and re-zones', () => {
    const plain = compiled.decide(orderContext());
    expect(plain.score).toBe(55);
    const note = { until: '2030-01-01T00:00:00.000Z', by: 'staff@shop', reason: 'known good buyer' };
    const snoozed = compiled.decide(orderContext(), { snoozed: { 'test.hit-strong': note } });
    const line = snoozed.signals.find((s) => s.id === 'test.hit-strong')!;
    expect(line).toMatchObject({ status: 'hit', strength: 1, weight: 40, points: 0, snoozed: note });
    expect(snoozed.score).toBe(15);
    expect(snoozed.zone).toBe('low');
    expect(snoozed.actions).toEqual([]);
    expect(snoozed.signals.reduce((sum, s) => sum + s.points, 0)).toBe(snoozed.score);
    expect(snoozed.signals.find((s) => s.id === 'test.hit-half')!.snoozed).toBeUndefined();
  });

  it('is deterministic and ignores snoozes of signals the ruleset does not run', () => {
    const options = { snoozed: { 'test.hit-half': { until: '2030-01-01T00:00:00.000Z' }, 'other.signal': { until: '2030-01-01T00:00:00.000Z' } } };
    const ctx = orderContext();
    const a = compiled.decide(ctx, options);
    expect(JSON.stringify(a)).toBe(JSON.stringify(compiled.decide(ctx, options)));
    expect(a.score).toBe(40);
  });
});

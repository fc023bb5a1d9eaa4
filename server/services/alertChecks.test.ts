import { describe, expect, it } from 'vitest';
import { CHARGEBACK_WINDOW_MS, DAY_MS, chargebackVerdict, compareSkuRates, dippedSince, rollingCount } from './alertChecks.ts';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const day = (n: number) => T0 + n * DAY_MS;

describe('chargebacks in a rolling week', () => {
  it('counts those opened in (at - 7 days, at]', () => {
    const times = [day(0), day(1), day(6), day(7)];
    expect(rollingCount(times, day(7) - 1)).toBe(3); // days 0, 1 and 6
    expect(rollingCount(times, day(7))).toBe(3); // day 0 left the window at day 7 exactly, day 7 came in
    expect(rollingCount(times, day(8))).toBe(2); // days 6 and 7
    expect(rollingCount(times, day(-1))).toBe(0);
  });

  it('sees a dip below the threshold between two checks, where the count only falls: when a chargeback leaves the window', () => {
    // Three in the first days, then two more on days 9 and 10: on day 8 the count fell to 0.
    const times = [day(0), day(0.5), day(1), day(9), day(10)];
    expect(dippedSince(times, day(2), day(10), 2)).toBe(true);
    // With a chargeback on day 7.5 the count never fell to 2 or below between day 2 and day 8.
    const steady = [day(0), day(0.5), day(1), day(5), day(6), day(7.5)];
    expect(dippedSince(steady, day(2), day(8), 2)).toBe(false);
  });

  it('starts a breach once when the count goes above the threshold, continues it, clears it, and starts it again after a dip', () => {
    const times = [day(0), day(1), day(2)];
    // At or below: clear.
    expect(chargebackVerdict(times.slice(0, 2), day(2), 2, undefined)).toEqual({ state: 'clear', count: 2 });
    // Above, nothing open: starts.
    expect(chargebackVerdict(times, day(2), 2, undefined)).toEqual({ state: 'starts', count: 3 });
    // A fourth, the breach open since day 2: continues (no second alert).
    expect(chargebackVerdict([...times, day(3)], day(3), 2, day(2))).toEqual({ state: 'continues', count: 4 });
    // Day 8: days 0 and 1 have left, two remain: clear.
    expect(chargebackVerdict([...times, day(3)], day(8.5), 2, day(3))).toEqual({ state: 'clear', count: 2 });
    // A breach still marked open (nothing checked it on day 8), but the count dipped since: a new breach.
    const later = [...times, day(3), day(9), day(9.5)];
    expect(chargebackVerdict(later, day(9.5), 2, day(3))).toEqual({ state: 'starts', count: 3 });
    // A last check a little after `now` (another server's clock ahead): the breach goes on.
    expect(chargebackVerdict(times, day(2), 2, day(2) + 1500)).toEqual({ state: 'continues', count: 3 });
    expect(CHARGEBACK_WINDOW_MS).toBe(7 * DAY_MS);
  });
});

describe('a SKU’s return rate against its baseline', () => {
  const units = (sku: string, sold: number, returned: number, title: string | null = null) => ({ sku, title, sold, returned });

  it('compares only with volume on both sides: one return of one sale never does', () => {
    const recent = [units('ONE', 1, 1), units('NEW', 40, 8), units('FEW', 40, 4), units('SOLD-LITTLE', 9, 6), units('OK', 10, 5, 'Aviator')];
    const baseline = [units('ONE', 0, 0), units('FEW', 40, 1), units('SOLD-LITTLE', 40, 1), units('OK', 10, 1)];
    // NEW has no baseline, FEW too few returns, SOLD-LITTLE too few sold recently, ONE both.
    expect(compareSkuRates(recent, baseline, 5).map((c) => c.sku)).toEqual(['OK']);
    expect(compareSkuRates(recent, baseline, 4).map((c) => c.sku)).toEqual(['FEW', 'OK']);
    expect(compareSkuRates([units('OK', 10, 5)], [units('OK', 9, 1)], 5)).toEqual([]);
  });

  it('breaches at twice the baseline rate, and holds down to 1.5 times it', () => {
    const baseline = [units('A', 100, 10), units('B', 100, 10), units('C', 100, 10), units('Z', 100, 0)];
    const recent = [units('A', 20, 4), units('B', 20, 3), units('C', 20, 2), units('Z', 20, 5, 'Zed')];
    const byKey = Object.fromEntries(compareSkuRates(recent, baseline, 1).map((c) => [c.sku, [c.doubled, c.holds, c.ratio]]));
    expect(byKey).toEqual({ A: [true, true, 2], B: [false, true, 1.5], C: [false, false, 1], Z: [true, true, null] });
  });
});

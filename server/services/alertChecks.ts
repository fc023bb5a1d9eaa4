import type { SkuUnits } from '../store/AnalyticsStore.ts';

/**
 * The pure part of the periodic alert rules (`AlertService.checkShop`): rolling chargeback counts
 * and SKU return rates compared. No I/O, no clock: times and figures arrive as arguments.
 */

export const DAY_MS = 86_400_000;
/** `chargebacks-week`: the rolling window. */
export const CHARGEBACK_WINDOW_MS = 7 * DAY_MS;
/** `sku-return-rate`: the recent window, and the baseline just before it. */
export const SKU_RECENT_DAYS = 30;
export const SKU_BASELINE_DAYS = 90;
/** `sku-return-rate`: units a SKU must have sold in each window for its rates to be compared. */
export const SKU_MIN_SOLD = 10;
/** `sku-return-rate`: units returned in the recent window unless the rule says otherwise. */
export const DEFAULT_SKU_MIN_RETURNS = 5;
/** A SKU breaches at twice its baseline rate, and stays breached (no new alert) until it falls below 1.5 times it. */
export const SKU_RATIO = 2;
export const SKU_HOLD_RATIO = 1.5;

/** Chargebacks opened in (at - windowMs, at], of `times` (ms, any order). */
export function rollingCount(times: readonly number[], at: number, windowMs = CHARGEBACK_WINDOW_MS): number {
  let count = 0;
  for (const t of times) if (t > at - windowMs && t <= at) count++;
  return count;
}

/**
 * Whether the rolling count was at most `threshold` at some moment in (from, to]. It only falls
 * when a chargeback leaves the window (at its time + windowMs), so those moments, and `to`, are
 * the ones to look at. `times` must hold every chargeback in (from - windowMs, to].
 */
export function dippedSince(times: readonly number[], from: number, to: number, threshold: number, windowMs = CHARGEBACK_WINDOW_MS): boolean {
  const moments = times.map((t) => t + windowMs).filter((m) => m > from && m <= to);
  moments.push(to);
  return moments.some((m) => rollingCount(times, m, windowMs) <= threshold);
}

/** A chargeback rule's verdict at a moment, given its breach (if one is open) and the chargebacks around. */
export type ChargebackVerdict =
  /** Above the threshold, and it was not (or was not seen) since the last check: a new breach, which alerts. */
  | { state: 'starts'; count: number }
  /** Above it, and it stayed above since the breach was last seen. */
  | { state: 'continues'; count: number }
  /** At or below it. */
  | { state: 'clear'; count: number };

/** Whether a `chargebacks-week` rule breaches at `now`, given its open breach's last check (if any). */
export function chargebackVerdict(times: readonly number[], now: number, threshold: number, lastChecked: number | undefined, windowMs = CHARGEBACK_WINDOW_MS): ChargebackVerdict {
  const count = rollingCount(times, now, windowMs);
  if (count <= threshold) return { state: 'clear', count };
  if (lastChecked === undefined) return { state: 'starts', count };
  // Checked at or after `now` (another server's clock a little ahead): above then and now, it goes on.
  if (lastChecked >= now || !dippedSince(times, lastChecked, now, threshold, windowMs)) return { state: 'continues', count };
  return { state: 'starts', count };
}

/** A SKU's last 30 days against the 90 days before, once both windows have the volume to compare. */
export interface SkuComparison {
  sku: string;
  title: string | null;
  recent: SkuUnits;
  baseline: SkuUnits;
  /** The recent rate at least SKU_RATIO times the baseline's: a breach (it alerts when it starts). */
  doubled: boolean;
  /** At least SKU_HOLD_RATIO times: a breach already open stays open. */
  holds: boolean;
  /** recent rate / baseline rate (2 places); null when the baseline returned nothing. */
  ratio: number | null;
}

/**
 * The SKUs whose recent return rate is compared with their baseline: at least `minReturns` units
 * returned and SKU_MIN_SOLD sold recently, and SKU_MIN_SOLD sold in the baseline (a SKU new in the
 * recent window has nothing to double). One return of one sale never compares.
 */
export function compareSkuRates(recent: readonly SkuUnits[], baseline: readonly SkuUnits[], minReturns: number): SkuComparison[] {
  const before = new Map(baseline.map((row) => [row.sku, row]));
  const compared: SkuComparison[] = [];
  for (const now of recent) {
    const then = before.get(now.sku);
    if (now.returned < minReturns || now.sold < SKU_MIN_SOLD || !then || then.sold < SKU_MIN_SOLD) continue;
    // Rates compared by cross-multiplying (no division): recent.returned / recent.sold ≥ k × baseline.returned / baseline.sold.
    const atLeast = (k: number) => now.returned * then.sold >= k * then.returned * now.sold;
    compared.push({
      sku: now.sku,
      title: now.title ?? then.title,
      recent: now,
      baseline: then,
      doubled: atLeast(SKU_RATIO),
      holds: atLeast(SKU_HOLD_RATIO),
      ratio: then.returned === 0 ? null : Math.round(((now.returned / now.sold) / (then.returned / then.sold)) * 100) / 100,
    });
  }
  return compared;
}

/**
 * Chargeback risk of an order before it ships, as a probability the shop's own history
 * supports: among its earlier orders whose chargeback window has closed ("matured"), how often
 * did orders with a similar RefundSentry score end in a chargeback? Scores are grouped in bands
 * of 10 points; each band's rate is shrunk toward the shop's base rate (a band with few orders
 * says little), then made non-decreasing in the score (isotonic, pool-adjacent-violators), so a
 * riskier score never reads as safer. Pure: the history comes in, a calibration goes out.
 */
export interface MaturedOrder {
  score: number;
  chargedBack: boolean;
}

export interface ChargebackBand {
  /** Scores from `from` (inclusive) to `to` (exclusive; 100 is in the last band). */
  from: number;
  to: number;
  orders: number;
  chargebacks: number;
  /** The calibrated probability for this band (shrunk, monotone). */
  probability: number;
}

export interface ChargebackCalibration {
  /** Matured orders it was built from, and how many of them were charged back. */
  orders: number;
  chargebacks: number;
  baseRate: number;
  bands: ChargebackBand[];
}

export interface ChargebackRisk {
  /** 0..1. */
  probability: number;
  band: ChargebackBand;
  baseRate: number;
  /** In words, for the admin and the evidence report. */
  explanation: string;
}

export interface CalibrationOptions {
  /** Weight of the base rate in each band, in orders (default 20). */
  priorOrders?: number;
  /** Fewer matured orders, or no chargeback at all, and there is no calibration (default 50). */
  minOrders?: number;
}

const BAND = 10;

export function calibrateChargebackRisk(orders: readonly MaturedOrder[], options: CalibrationOptions = {}): ChargebackCalibration | undefined {
  const prior = options.priorOrders ?? 20;
  const total = orders.length;
  const charged = orders.filter((o) => o.chargedBack).length;
  if (total < (options.minOrders ?? 50) || charged === 0) return undefined;
  const baseRate = charged / total;
  const bands: ChargebackBand[] = Array.from({ length: 100 / BAND }, (_, i) => ({ from: i * BAND, to: (i + 1) * BAND, orders: 0, chargebacks: 0, probability: 0 }));
  for (const order of orders) {
    const band = bands[bandIndex(order.score)]!;
    band.orders++;
    if (order.chargedBack) band.chargebacks++;
  }
  const shrunk = bands.map((b) => (b.chargebacks + prior * baseRate) / (b.orders + prior));
  const monotone = poolAdjacentViolators(shrunk, bands.map((b) => b.orders + prior));
  bands.forEach((b, i) => (b.probability = monotone[i]!));
  return { orders: total, chargebacks: charged, baseRate, bands };
}

export function chargebackRiskOf(calibration: ChargebackCalibration, score: number): ChargebackRisk {
  const band = calibration.bands[bandIndex(score)]!;
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  return {
    probability: band.probability,
    band,
    baseRate: calibration.baseRate,
    explanation: `${pct(band.probability)} chance of a chargeback: of this shop's ${band.orders} matured orders scored ${band.from}–${band.to === 100 ? 100 : band.to - 1}, ${band.chargebacks} were charged back (shop-wide ${pct(calibration.baseRate)} of ${calibration.orders}).`,
  };
}

function bandIndex(score: number): number {
  return Math.min(100 / BAND - 1, Math.max(0, Math.floor(score / BAND)));
}

/** Weighted isotonic regression (non-decreasing) by pool-adjacent-violators. */
export function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { value: number; weight: number; size: number }[] = [];
  values.forEach((value, i) => {
    blocks.push({ value, weight: weights[i]!, size: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const last = blocks.pop()!;
      const prev = blocks[blocks.length - 1]!;
      const weight = prev.weight + last.weight;
      prev.value = (prev.value * prev.weight + last.value * last.weight) / weight;
      prev.weight = weight;
      prev.size += last.size;
    }
  });
  return blocks.flatMap((b) => Array<number>(b.size).fill(b.value));
}

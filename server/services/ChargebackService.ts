import { calibrateChargebackRisk, chargebackRiskOf, type ChargebackCalibration, type ChargebackRisk } from '../../engine/chargebacks/chargebackRisk.ts';
import type { ChargebackSummary, DoubleDip, EvidenceMaterial, PredictionRow, RepeatOffender, Stores, UnshippedOrder } from '../store/index.ts';

const DAY_MS = 86_400_000;
/** Card networks give customers about 120 days to dispute: an order younger than that may still be. */
export const CHARGEBACK_WINDOW_DAYS = 120;
const CALIBRATION_TTL_MS = 10 * 60_000;

export interface ChargebackReport {
  window: { from: string; to: string };
  summary: ChargebackSummary;
  /** Share of the period's chargebacks whose order RefundSentry had scored MEDIUM or HIGH when it was placed. */
  prediction: {
    disputes: number;
    /** Disputes whose order has a decision from order time. */
    scored: number;
    flagged: number;
    high: number;
    accuracy: number | null;
    rows: PredictionRow[];
  };
  repeatOffenders: RepeatOffender[];
  doubleDips: { orders: number; refunded: number; chargedBack: number; rows: DoubleDip[] };
  /** Recent orders not shipped yet, with their chargeback risk: what can still be held. */
  unshipped: (UnshippedOrder & { chargebackRisk: ChargebackRisk | null })[];
  calibration: ChargebackCalibration | null;
}

export interface Evidence extends EvidenceMaterial {
  shopId: string;
  generatedAt: string;
  chargebackRisk: ChargebackRisk | null;
}

/**
 * Chargebacks seen from the merchant's side: exposure, repeat offenders, how well scoring
 * predicted them, double dips (refunded or returned, then disputed), the chargeback risk of
 * orders still to ship (calibrated on the shop's own matured orders), and the evidence of one
 * disputed order.
 */
export class ChargebackService {
  private readonly stores: Stores;
  private readonly now: () => number;
  private readonly calibrations = new Map<string, { at: number; calibration: ChargebackCalibration | undefined }>();

  constructor(stores: Stores, now: () => number = Date.now) {
    this.stores = stores;
    this.now = now;
  }

  /** The shop's calibration from orders decided more than the chargeback window ago (cached 10 minutes). */
  async calibration(shopId: string): Promise<ChargebackCalibration | undefined> {
    const now = this.now();
    const cached = this.calibrations.get(shopId);
    if (cached && now - cached.at < CALIBRATION_TTL_MS) return cached.calibration;
    const calibration = calibrateChargebackRisk(await this.stores.chargebacks.maturedOrders(shopId, new Date(now - CHARGEBACK_WINDOW_DAYS * DAY_MS)));
    this.calibrations.set(shopId, { at: now, calibration });
    return calibration;
  }

  async report(shopId: string, from: Date, to: Date): Promise<ChargebackReport> {
    const [summary, predictions, repeatOffenders, doubleDips, unshipped, calibration] = await Promise.all([
      this.stores.chargebacks.summary(shopId, from, to),
      this.stores.chargebacks.predictions(shopId, from, to),
      this.stores.chargebacks.repeatOffenders(shopId, to),
      this.stores.chargebacks.doubleDips(shopId, from, to),
      this.stores.chargebacks.unshipped(shopId, new Date(this.now() - 30 * DAY_MS)),
      this.calibration(shopId),
    ]);
    const scored = predictions.filter((p) => p.zone !== null);
    const flagged = scored.filter((p) => p.zone === 'medium' || p.zone === 'high').length;
    return {
      window: { from: from.toISOString(), to: to.toISOString() },
      summary,
      prediction: {
        disputes: predictions.length,
        scored: scored.length,
        flagged,
        high: scored.filter((p) => p.zone === 'high').length,
        accuracy: scored.length > 0 ? Math.round((flagged / scored.length) * 10_000) / 10_000 : null,
        rows: predictions,
      },
      repeatOffenders,
      doubleDips: {
        orders: doubleDips.length,
        refunded: round2(doubleDips.reduce((s, d) => s + d.refunded, 0)),
        chargedBack: round2(doubleDips.reduce((s, d) => s + d.chargedBack, 0)),
        rows: doubleDips,
      },
      unshipped: unshipped.map((order) => ({ ...order, chargebackRisk: calibration ? chargebackRiskOf(calibration, order.score) : null })),
      calibration: calibration ?? null,
    };
  }

  /** The evidence of one order; undefined when the shop has no such order. */
  async evidence(shopId: string, orderId: string): Promise<Evidence | undefined> {
    const material = await this.stores.chargebacks.evidence(shopId, orderId);
    if (!material.order) return undefined;
    const orderDecision = material.decisions.find((d) => d.subjectKind === 'order');
    const calibration = orderDecision ? await this.calibration(shopId) : undefined;
    return {
      shopId,
      generatedAt: new Date(this.now()).toISOString(),
      ...material,
      chargebackRisk: calibration && orderDecision ? chargebackRiskOf(calibration, orderDecision.score) : null,
    };
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

import type { Calibration, OutcomeRisk } from '../../engine/chargebacks/calibration.ts';
import type { ChargebackSummary, DoubleDip, EvidenceMaterial, PredictionRow, RepeatOffender, Stores, UnshippedOrder } from '../store/index.ts';
import type { CalibrationService } from './CalibrationService.ts';
import type { ChargebackReport } from '../../contract/chargebacks.ts';

export type { ChargebackReport };

const DAY_MS = 86_400_000;

// What GET /api/chargebacks answers is the API contract's ChargebackReport.

export interface Evidence extends EvidenceMaterial {
  shopId: string;
  generatedAt: string;
  /** The calibrated fraud risk of the order's own decision (the version that decided it); null when it was not scored. */
  chargebackRisk: OutcomeRisk | null;
}

/**
 * Chargebacks seen from the merchant's side: exposure, repeat offenders, how well scoring
 * predicted them, double dips (refunded or returned, then disputed), the fraud risk of orders
 * still to ship (calibrated: `CalibrationService`), and the evidence of one disputed order.
 */
export class ChargebackService {
  private readonly stores: Stores;
  private readonly calibrations: CalibrationService;
  private readonly now: () => number;

  constructor(stores: Stores, calibrations: CalibrationService, now: () => number = Date.now) {
    this.stores = stores;
    this.calibrations = calibrations;
    this.now = now;
  }

  async report(shopId: string, from: Date, to: Date): Promise<ChargebackReport> {
    const [summary, predictions, repeatOffenders, doubleDips, unshipped, live, currency] = await Promise.all([
      this.stores.chargebacks.summary(shopId, from, to),
      this.stores.chargebacks.predictions(shopId, from, to),
      this.stores.chargebacks.repeatOffenders(shopId, to),
      this.stores.chargebacks.doubleDips(shopId, from, to),
      this.stores.chargebacks.unshipped(shopId, new Date(this.now() - 30 * DAY_MS)),
      this.stores.rulesets.published(shopId),
      this.stores.events.shopCurrency(shopId),
    ]);
    // The orders by the names Shopify gave them ("#1001").
    const names = await this.stores.events.orderNames(shopId, [...predictions, ...doubleDips, ...unshipped].map((row) => row.orderId));
    const named = <T extends { orderId: string }>(row: T) => ({ ...row, orderName: names.get(row.orderId) ?? null });
    const risks = await Promise.all(unshipped.map((order) => this.calibrations.riskOf(shopId, { version: order.rulesetVersion, kind: 'order', score: order.score })));
    const scored = predictions.filter((p) => p.zone !== null);
    const flagged = scored.filter((p) => p.zone === 'medium' || p.zone === 'high').length;
    return {
      window: { from: from.toISOString(), to: to.toISOString() },
      currency,
      summary,
      prediction: {
        disputes: predictions.length,
        scored: scored.length,
        flagged,
        high: scored.filter((p) => p.zone === 'high').length,
        accuracy: scored.length > 0 ? Math.round((flagged / scored.length) * 10_000) / 10_000 : null,
        rows: predictions.map(named),
      },
      repeatOffenders,
      doubleDips: {
        orders: doubleDips.length,
        refunded: round2(doubleDips.reduce((s, d) => s + d.refunded, 0)),
        chargedBack: round2(doubleDips.reduce((s, d) => s + d.chargedBack, 0)),
        rows: doubleDips.map(named),
      },
      unshipped: unshipped.map((order, i) => ({ ...named(order), chargebackRisk: risks[i]! })),
      calibration: live ? await this.calibrations.calibration(shopId, live.version, 'order') : null,
    };
  }

  /** The evidence of one order; undefined when the shop has no such order. */
  async evidence(shopId: string, orderId: string): Promise<Evidence | undefined> {
    const material = await this.stores.chargebacks.evidence(shopId, orderId);
    if (!material.order) return undefined;
    const orderDecision = material.decisions.find((d) => d.subjectKind === 'order');
    return {
      shopId,
      generatedAt: new Date(this.now()).toISOString(),
      ...material,
      chargebackRisk: orderDecision ? await this.calibrations.riskOf(shopId, { version: orderDecision.trace.ruleset.version, kind: 'order', score: orderDecision.score }) : null,
    };
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

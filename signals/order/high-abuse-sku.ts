import { defineSignal } from '../../sdk/index.ts';
import type { SignalContext } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  minRatio: number;
  minRate: number;
  minSold: number;
}

/** Whether a baseline has SKU rates, remembered per (frozen, shared) rates object: listing thousands of SKUs for each event is slow. */
const nonEmpty = new WeakMap<object, boolean>();
function hasAny(record: object): boolean {
  let known = nonEmpty.get(record);
  if (known === undefined) {
    known = Object.keys(record).length > 0;
    nonEmpty.set(record, known);
  }
  return known;
}

/** SKU and units of the items being judged: the order's lines, or the returned lines. */
function judgedItems(ctx: SignalContext): { sku?: string; quantity: number }[] {
  if (ctx.subject.kind === 'return') return ctx.subject.return.lineItems;
  return ctx.subject.order.lineItems.filter((item) => !item.giftCard);
}

/** Items whose SKU is returned far more often than the shop's products on average. */
export default defineSignal<Params>({
  meta: {
    id: 'order.high-abuse-sku',
    version: '1.0.0',
    title: 'Often-returned products',
    description:
      "The items are products this shop sees returned far more often than its average (at least twice the shop's return rate by default). Such products attract wardrobing and return abuse.",
    category: 'order',
    appliesTo: ['order', 'return'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        minRatio: {
          type: 'number',
          minimum: 1,
          maximum: 50,
          default: 2,
          description: "A SKU's return rate as a multiple of the shop's return rate that counts as high.",
        },
        minRate: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0.15,
          description: 'Lowest SKU return rate (returned units / sold units) that counts, whatever the shop rate.',
        },
        minSold: {
          type: 'integer',
          minimum: 1,
          maximum: 1000000,
          default: 20,
          description: 'Units a SKU must have sold before its return rate is trusted.',
        },
      },
    },
    needs: ['subject', 'baseline'],
    messages: {
      risky: '{{flaggedUnits}} of {{units}} unit(s) are SKUs returned up to {{worstRatePercent}}% of the time (shop: {{shopRatePercent}}%), e.g. {{worstSku}}.',
      normal: 'No item is a SKU returned unusually often.',
      noRates: 'The shop has no SKU return rates yet.',
    },
  },
  evaluate(ctx, params) {
    const rates = ctx.baseline.skuReturnRates;
    const shopRate = ctx.baseline.shopReturnRate;
    if (shopRate === undefined || !hasAny(rates)) {
      return { status: 'insufficient_data', messageId: 'noRates' };
    }
    const limit = Math.max(params.minRate, params.minRatio * shopRate);
    let units = 0;
    let flaggedUnits = 0;
    let worst: { sku: string; rate: number } | undefined;
    for (const item of judgedItems(ctx)) {
      units += item.quantity;
      const stats = item.sku === undefined ? undefined : rates[item.sku];
      if (item.sku === undefined || stats === undefined || stats.sold < params.minSold || stats.rate < limit) continue;
      flaggedUnits += item.quantity;
      if (worst === undefined || stats.rate > worst.rate) worst = { sku: item.sku, rate: stats.rate };
    }
    const shopRatePercent = Math.round(shopRate * 100);
    if (worst === undefined) return { status: 'no_hit', messageId: 'normal', evidence: { units, shopRatePercent } };
    const evidence = {
      units,
      flaggedUnits,
      worstSku: worst.sku,
      worstRatePercent: Math.round(worst.rate * 100),
      shopRatePercent,
    };
    // How far past the limit the worst SKU is (full at twice the limit), scaled by the share of flagged units.
    const share = units > 0 ? flaggedUnits / units : 1;
    const strength = ramp(worst.rate, limit, 2 * limit, 0.4) * (0.6 + 0.4 * share);
    return { status: 'hit', strength, messageId: 'risky', evidence };
  },
});

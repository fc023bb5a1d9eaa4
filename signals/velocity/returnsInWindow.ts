import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import type { ContextNeed, ReturnRecord, Signal, SignalContext } from '../../sdk/index.ts';
import { ramp, subjectReturn, withinDays } from '../support.ts';

export interface ReturnsInWindowParams {
  threshold: number;
}

export interface ReturnsInWindowOptions {
  /** Window length; the id becomes `velocity.returns-<days>d`. */
  days: number;
  /** Default of the `threshold` param: returns in the window above this count. */
  threshold: number;
  defaultWeight: number;
  /** Use the shop's p95 of `customer.returns90d` instead of the param when the shop has one. */
  useBaseline?: boolean;
}

/** The customer's past returns plus the one being judged (or behind the refund), once each. */
function allReturns(ctx: SignalContext): readonly ReturnRecord[] {
  const own = subjectReturn(ctx);
  const past = ctx.history.returns;
  return own && !past.some((r) => r.id === own.id) ? [...past, own] : past;
}

/** Builds `velocity.returns-<days>d`: how many returns the customer requested in the last `days` days. */
export function returnsInWindow(options: ReturnsInWindowOptions): Signal<ReturnsInWindowParams> {
  const { days, useBaseline = false } = options;
  const needs: ContextNeed[] = ['subject', 'customer', 'history.returns'];
  if (useBaseline) needs.push('baseline');
  return defineSignal<ReturnsInWindowParams>({
    meta: {
      id: `velocity.returns-${days}d`,
      version: '1.0.0',
      title: `Many returns in ${days} days`,
      description: `The customer requested more returns in the last ${days} days than ${useBaseline ? 'nearly all customers of this shop do' : 'is usual'}, this one included. Frequent returns are the main cost of serial returners.`,
      category: 'velocity',
      appliesTo: ['return', 'refund'],
      defaultWeight: options.defaultWeight,
      params: {
        type: 'object',
        properties: {
          threshold: {
            type: 'integer',
            minimum: 1,
            maximum: 500,
            default: options.threshold,
            description: useBaseline
              ? `Returns in ${days} days (this one included) above which it counts as many, when the shop has no baseline (else the shop's p95 plus this return).`
              : `Returns in ${days} days (this one included) above which it counts as many.`,
          },
        },
      },
      needs,
      messages: {
        many: '{{returns}} returns in the last {{days}} days, above the threshold of {{threshold}}.',
        normal: '{{returns}} returns in the last {{days}} days.',
        guest: 'Guest checkout: no return history to count.',
      },
    },
    evaluate(ctx, params) {
      if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
      const returns = allReturns(ctx).filter((r) => withinDays(ctx, r.createdAt, days)).length;
      // The baseline counts the returns made BEFORE each return, so this return is added to it.
      const threshold = useBaseline
        ? baselinePercentile(ctx, BASELINE_MEASURES.customerReturns90d, 'p95', params.threshold - 1) + 1
        : params.threshold;
      const evidence = { returns, days, threshold };
      if (returns <= threshold) return { status: 'no_hit', messageId: 'normal', evidence };
      // 0.3 just at the threshold, full strength at twice it.
      return { status: 'hit', strength: ramp(returns, threshold, 2 * threshold), messageId: 'many', evidence };
    },
  });
}

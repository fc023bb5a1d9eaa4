import { defineSignal } from '../../sdk/index.ts';
import type { ReturnRecord, SignalContext } from '../../sdk/index.ts';
import { DAY_MS, ms, ramp, round2, subjectReturn } from '../support.ts';

interface Params {
  recentDays: number;
  lookbackDays: number;
  multiple: number;
  minRecent: number;
  minHistoryDays: number;
}

/** The customer's past returns plus the one being judged (or behind the refund), once each. */
function allReturns(ctx: SignalContext): readonly ReturnRecord[] {
  const own = subjectReturn(ctx);
  const past = ctx.history.returns;
  return own && !past.some((r) => r.id === own.id) ? [...past, own] : past;
}

/** Days of history known: since the account was created or the first order, whichever is earlier. */
function historyDays(ctx: SignalContext): number {
  const starts = ctx.history.orders.map((o) => ms(o.createdAt));
  if (ctx.customer?.createdAt) starts.push(ms(ctx.customer.createdAt));
  return starts.length === 0 ? 0 : Math.floor((ms(ctx.now) - Math.min(...starts)) / DAY_MS);
}

/** Returns in the last 30 days against the customer's own usual pace over the year before. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.return-frequency-spike',
    version: '1.0.0',
    title: 'Sudden burst of returns',
    description:
      "The customer returned far more in the last weeks than they usually do. A sudden change from a customer's own habit often marks a taken-over account or a switch to abuse.",
    category: 'velocity',
    appliesTo: ['return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        recentDays: { type: 'integer', minimum: 1, maximum: 90, default: 30, description: 'The recent window, in days.' },
        lookbackDays: {
          type: 'integer',
          minimum: 30,
          maximum: 1095,
          default: 365,
          description: 'Days before the recent window that set the usual pace.',
        },
        multiple: {
          type: 'number',
          minimum: 1,
          maximum: 20,
          default: 3,
          description: 'How many times the usual pace the recent count must reach.',
        },
        minRecent: { type: 'integer', minimum: 1, maximum: 50, default: 3, description: 'Fewest recent returns that can count as a burst.' },
        minHistoryDays: {
          type: 'integer',
          minimum: 30,
          maximum: 1095,
          default: 90,
          description: 'Days of customer history needed to know the usual pace.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns'],
    messages: {
      spike: '{{recent}} returns in the last {{recentDays}} days against a usual {{usualPace}} per {{recentDays}} days (burst from {{threshold}}).',
      normal: '{{recent}} returns in the last {{recentDays}} days, usual pace {{usualPace}}.',
      tooNew: 'Only {{historyDays}} days of history; {{minHistoryDays}} needed to know the usual return pace.',
    },
  },
  evaluate(ctx, params) {
    const { recentDays } = params;
    const days = historyDays(ctx);
    const minHistoryDays = Math.max(params.minHistoryDays, recentDays + 1);
    if (days < minHistoryDays) {
      return { status: 'insufficient_data', messageId: 'tooNew', evidence: { historyDays: days, minHistoryDays } };
    }
    const earlierDays = Math.min(params.lookbackDays, days - recentDays);
    const now = ms(ctx.now);
    const recentFrom = now - recentDays * DAY_MS;
    const earlierFrom = recentFrom - earlierDays * DAY_MS;
    let recent = 0;
    let earlier = 0;
    for (const r of allReturns(ctx)) {
      const at = ms(r.createdAt);
      if (at > now) continue;
      if (at >= recentFrom) recent++;
      else if (at >= earlierFrom) earlier++;
    }
    const usualPace = (earlier / earlierDays) * recentDays;
    const threshold = Math.max(params.minRecent, params.multiple * usualPace);
    const evidence = { recent, earlier, earlierDays, recentDays, usualPace: round2(usualPace), threshold: round2(threshold) };
    if (recent < threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 at the threshold, full strength at twice it.
    return { status: 'hit', strength: ramp(recent, threshold, 2 * threshold), messageId: 'spike', evidence };
  },
});

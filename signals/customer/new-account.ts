import { defineSignal } from '../../sdk/index.ts';
import { round2 } from '../support.ts';

interface Params {
  fullMinutes: number;
  maxDays: number;
}

const MINUTE_MS = 60_000;

/** An age as people say it: seconds, minutes, hours or days. */
function spoken(ms: number): string {
  const say = (value: number, unit: string) => `${value} ${unit}${value === 1 ? '' : 's'}`;
  if (ms < MINUTE_MS) return say(Math.round(ms / 1000), 'second');
  if (ms < 3_600_000) return say(Math.round(ms / MINUTE_MS), 'minute');
  if (ms < 86_400_000) return say(round2(ms / 3_600_000), 'hour');
  return say(round2(ms / 86_400_000), 'day');
}

/**
 * An account opened only moments before the order, return or refund. Minutes matter: an order
 * placed seconds or minutes after its account was made is the commonest card-testing and
 * promo-abuse shape, so the strength is full within `fullMinutes` and fades with the logarithm of
 * the age (an hour ≈ 0.8, a day ≈ 0.5, a week ≈ 0.25 with the defaults) down to 0.1 at `maxDays`.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.new-account',
    version: '2.1.0',
    title: 'New account',
    description:
      'The customer account was created only moments before. An order placed seconds or minutes after the account was made is the commonest card-testing and promo-abuse shape: full strength within a few minutes, fading over hours and days. On Shopify the checkout itself makes a customer record for a guest (its account state is "disabled": no account was opened), so such a record being new says only that this is a first order, and does not count here; where Shopify does not say the state, the age alone is judged.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        fullMinutes: { type: 'integer', minimum: 0, maximum: 1440, default: 10, description: 'An account at most this many minutes old counts at full strength.' },
        maxDays: { type: 'integer', minimum: 1, maximum: 3650, default: 30, description: 'Accounts younger than this many days count as new (at 0.1 strength at the limit).' },
      },
    },
    needs: ['customer'],
    messages: {
      moments: 'Account created {{accountAge}} before (within {{fullMinutes}} minutes).',
      young: 'Account created {{accountAge}} before (under {{maxDays}} days).',
      established: 'Account created {{accountDays}} days ago.',
      unknown: 'Guest checkout or unknown account creation date.',
      checkoutRecord: 'No account was opened: the checkout made this customer record ({{accountAge}} before).',
    },
  },
  evaluate(ctx, params) {
    const createdAt = ctx.customer?.createdAt;
    const created = createdAt === undefined ? NaN : Date.parse(createdAt);
    if (Number.isNaN(created)) return { status: 'insufficient_data', messageId: 'unknown' };
    // An account created at checkout can carry a time a moment after the order: treat as age 0.
    const age = Math.max(0, Date.parse(ctx.now) - created);
    const evidence = { accountMinutes: round2(age / MINUTE_MS), accountDays: round2(age / 86_400_000), accountAge: spoken(age), fullMinutes: params.fullMinutes, maxDays: params.maxDays };
    // A record the checkout made for a guest is new on every first order: not an account opened to buy.
    if (ctx.customer?.accountState === 'disabled') return { status: 'no_hit', messageId: 'checkoutRecord', evidence: { ...evidence, accountState: 'disabled' } };
    const full = params.fullMinutes * MINUTE_MS;
    const max = params.maxDays * 86_400_000;
    if (age >= max) return { status: 'no_hit', messageId: 'established', evidence };
    if (age <= full) return { status: 'hit', strength: 1, messageId: 'moments', evidence };
    // From 1 at `fullMinutes` to 0.1 at `maxDays`, linear in the logarithm of the age (a minute's floor
    // when `fullMinutes` is 0, so that seconds still count as minutes).
    const from = Math.max(full, MINUTE_MS);
    const strength = age <= from ? 1 : 1 - (0.9 * Math.log(age / from)) / Math.log(max / from);
    return { status: 'hit', strength: Math.max(0.1, Math.min(1, round2(strength))), messageId: 'young', evidence };
  },
});

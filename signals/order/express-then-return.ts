import { defineSignal } from '../../sdk/index.ts';

interface Params {
  expressStrength: number;
}

/** Paid for fast shipping, then sent it back: bought for a date (an event), then returned. */
export default defineSignal<Params>({
  meta: {
    id: 'order.express-then-return',
    version: '1.0.0',
    title: 'Express shipping, then returned',
    description:
      'The returned order was shipped express or overnight. Paying for speed and then returning is typical of wardrobing: buying for one event and sending it back after. Weak on its own.',
    category: 'order',
    appliesTo: ['return'],
    defaultWeight: 5,
    params: {
      type: 'object',
      properties: {
        expressStrength: { type: 'number', minimum: 0.05, maximum: 1, default: 0.6, description: 'Strength for express shipping (overnight is 1).' },
      },
    },
    needs: ['subject'],
    messages: {
      fast: 'The returned order was shipped {{speed}}.',
      standard: 'The returned order was shipped {{speed}}.',
      unknown: 'The shipping speed of the returned order is unknown.',
    },
  },
  evaluate(ctx, params) {
    const speeds = ctx.subject.order.shippingLines.map((line) => line.speed ?? 'unknown');
    if (speeds.includes('overnight')) return { status: 'hit', strength: 1, messageId: 'fast', evidence: { speed: 'overnight' } };
    if (speeds.includes('express')) return { status: 'hit', strength: params.expressStrength, messageId: 'fast', evidence: { speed: 'express' } };
    const known = speeds.filter((s) => s !== 'unknown');
    if (speeds.length > 0 && known.length === 0) return { status: 'insufficient_data', messageId: 'unknown' };
    return { status: 'no_hit', messageId: 'standard', evidence: { speed: known[0] ?? 'none' } };
  },
});

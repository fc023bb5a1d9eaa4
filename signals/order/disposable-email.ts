import { defineSignal } from '../../sdk/index.ts';

/** The buyer's email is at a throwaway (disposable) domain, judged by the server at ingestion. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'order.disposable-email',
    version: '1.0.0',
    title: 'Disposable email address',
    description:
      'The order was placed with an email address from a throwaway (disposable) email service. Such addresses hide who the buyer is and are common in fraud and repeat abuse.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 10,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
    messages: {
      disposable: 'The email address is at a disposable email domain.',
      normal: 'The email address is not at a known disposable domain.',
      unknown: 'The email domain was not checked when the order arrived.',
    },
  },
  evaluate(ctx) {
    const flag = ctx.subject.order.emailDomainDisposable;
    if (flag === undefined) return { status: 'insufficient_data', messageId: 'unknown' };
    if (!flag) return { status: 'no_hit', messageId: 'normal', evidence: { disposable: false } };
    return { status: 'hit', strength: 1, messageId: 'disposable', evidence: { disposable: true } };
  },
});

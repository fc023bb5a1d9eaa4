import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import disposableEmail from './disposable-email.ts';

new SignalTester({ describe, it }).run(disposableEmail, {
  hits: [
    {
      name: 'a disposable domain',
      ctx: orderContext(makeOrder({ emailDomainDisposable: true })),
      strength: 1,
      evidence: { disposable: true },
      messageId: 'disposable',
    },
    {
      name: 'a disposable domain on a guest order',
      ctx: orderContext(makeOrder({ emailDomainDisposable: true, customerId: null }), { customer: null }),
      strength: 1,
    },
  ],
  quiet: [
    { name: 'an ordinary domain', ctx: orderContext(makeOrder({ emailDomainDisposable: false })), messageId: 'normal', evidence: { disposable: false } },
    {
      name: 'an ordinary domain on a guest order',
      ctx: orderContext(makeOrder({ emailDomainDisposable: false, customerId: null }), { customer: null }),
    },
  ],
  insufficient: [{ name: 'the domain was never checked', ctx: orderContext(makeOrder()), messageId: 'unknown' }],
  invalidParams: [{ name: 'no params are accepted', params: { domains: ['mailinator.com'] }, pointer: '/domains' }],
});

import { describe, expect, it } from 'vitest';
import { defineSignal } from '../defineSignal.ts';
import type { SignalDefinition, SignalMeta, SignalOutcome } from '../signal.ts';
import { SignalTester, SignalTestFailure, makeOrder, orderContext, type SignalTestCases } from './index.ts';

const meta: SignalMeta = {
  id: 'acme.total',
  version: '1.0.0',
  title: 'Total above',
  description: 'Fires when the order total is above a threshold.',
  category: 'order',
  appliesTo: ['order'],
  defaultWeight: 10,
  params: { type: 'object', properties: { above: { type: 'number', default: 100 } } },
  needs: ['subject'],
  messages: { above: 'Total {{total}} above {{above}}.', below: 'Total {{total}}.' },
};

const big = orderContext(makeOrder({ totalPrice: 500, subtotalPrice: 500 }));
const small = orderContext(makeOrder({ totalPrice: 20, subtotalPrice: 20 }));

function signalWith(evaluate: SignalDefinition<{ above: number }>['evaluate'], overrides: Partial<SignalMeta> = {}) {
  return defineSignal<{ above: number }>({ meta: { ...meta, ...overrides }, evaluate });
}

const honest = signalWith((ctx, params): SignalOutcome => {
  const total = ctx.subject.order.totalPrice;
  return total > params.above
    ? { status: 'hit', strength: Math.min(1, total / 1000), messageId: 'above', data: { total, above: params.above } }
    : { status: 'no_hit', messageId: 'below', data: { total } };
});

/** Runs the tester without a test framework: failures throw at once. */
function runDirect(signal: ReturnType<typeof signalWith>, cases: SignalTestCases): void {
  new SignalTester({ describe: (_n, body) => body(), it: (_n, body) => body() }).run(signal, cases);
}

const goodCases: SignalTestCases = { hits: [{ ctx: big, strength: 0.5, messageId: 'above' }], quiet: [{ ctx: small, message: 'Total 20.' }] };

describe('SignalTester', () => {
  it('passes an honest signal with matching cases', () => {
    expect(() => runDirect(honest, goodCases)).not.toThrow();
  });

  it('fails a case whose status, strength, evidence or message differ', () => {
    expect(() => runDirect(honest, { hits: [{ ctx: small }], quiet: [{ ctx: big }] })).toThrow(/expected status hit, got no_hit/);
    expect(() => runDirect(honest, { hits: [{ ctx: big, strength: [0.9, 1] }], quiet: [{ ctx: small }] })).toThrow(/strength 0.5 is outside the expected \[0.9, 1\]/);
    expect(() => runDirect(honest, { hits: [{ ctx: big, evidence: { total: 500 } }], quiet: [{ ctx: small }] })).toThrow(/evidence.total: expected 500, got undefined/);
    expect(() => runDirect(honest, { hits: [{ ctx: big, message: /below/ }], quiet: [{ ctx: small }] })).toThrow(/does not match/);
  });

  it('catches a signal that reads the clock or randomness', () => {
    const clocky = signalWith(() => (Date.now() > 0 ? { status: 'hit', messageId: 'above', data: { total: 1, above: 1 } } : { status: 'no_hit' }));
    expect(() => runDirect(clocky, goodCases)).toThrow(/signals must be pure: Date.now\(\) was called/);
    const newDate = signalWith(() => ({ status: 'no_hit', message: String(new Date().getTime()) }));
    expect(() => runDirect(newDate, goodCases)).toThrow(/new Date\(\) was called/);
    const dice = signalWith(() => (Math.random() > 2 ? { status: 'hit', message: 'x' } : { status: 'no_hit' }));
    expect(() => runDirect(dice, goodCases)).toThrow(/Math.random\(\) was called/);
    expect(typeof Date.now()).toBe('number');
  });

  it('catches a signal that mutates its context', () => {
    const mutating = signalWith((ctx) => {
      (ctx.subject.order as { totalPrice: number }).totalPrice = 0;
      return { status: 'no_hit' };
    });
    expect(() => runDirect(mutating, goodCases)).toThrow(/evaluate threw TypeError: Cannot assign to read only property/);
  });

  it('catches a signal that reads context parts it does not declare in meta.needs', () => {
    const sneaky = signalWith((ctx) => (ctx.history.returns.length > 0 ? { status: 'hit', message: 'x' } : { status: 'no_hit' }));
    expect(() => runDirect(sneaky, goodCases)).toThrow(/read ctx.history.returns.length but meta.needs does not declare "history.returns"/);
  });

  it('catches a signal that is not deterministic', () => {
    let calls = 0;
    const flaky = signalWith(() => ({ status: 'no_hit', message: String(calls++) }));
    expect(() => runDirect(flaky, { hits: [{ ctx: big }], quiet: [{ ctx: small }] })).toThrow(/not deterministic/);
  });

  it('refuses tables without hits, duplicated cases and cases for kinds the signal does not judge', () => {
    expect(() => runDirect(honest, { hits: [], quiet: [{ ctx: small }] })).toThrow(/at least one case in "hits"/);
    expect(() => runDirect(honest, { hits: [{ ctx: big }], quiet: [{ ctx: small }, { ctx: structuredClone(small) }] })).toThrow(/quiet\[1\] duplicates quiet\[0\]/);
    const returnsOnly = signalWith(honest.evaluate, { appliesTo: ['return'] });
    expect(() => runDirect(returnsOnly, goodCases)).toThrow(/subject is a order, but the signal applies to return/);
  });

  it('fails when a declared message is never produced', () => {
    const oneMessage = signalWith((ctx) => (ctx.subject.order.totalPrice > 100 ? { status: 'hit', messageId: 'above', data: { total: 1, above: 1 } } : { status: 'no_hit' }));
    expect(() => runDirect(oneMessage, { hits: [{ ctx: big }], quiet: [{ ctx: small }] })).toThrow(/no case produces message below/);
  });

  it('checks invalid params are refused where expected', () => {
    expect(() => runDirect(honest, { ...goodCases, invalidParams: [{ params: { above: 'x' }, pointer: '/above' }] })).not.toThrow();
    expect(() => runDirect(honest, { ...goodCases, invalidParams: [{ params: { above: 5 } }] })).toThrow(/were accepted; expected a refusal/);
  });

  it('registers one test per case with the framework hooks', () => {
    const names: string[] = [];
    new SignalTester({ describe: (name, body) => { names.push(`describe ${name}`); body(); }, it: (name) => { names.push(`it ${name}`); } }).run(honest, goodCases);
    expect(names).toEqual(['describe acme.total', 'it has hit and quiet cases, none duplicated', 'describe hits', 'it hits[0]', 'describe quiet', 'it quiet[0]', 'it produces every declared message']);
    expect(SignalTestFailure.name).toBe('SignalTestFailure');
  });
});

import { describe, expect, it } from 'vitest';
import { defineSignal, isSignal, resolveParams, SignalDefinitionError } from './defineSignal.ts';
import { evaluateSignal, normalizeOutcome } from './result.ts';
import type { SignalMeta } from './signal.ts';
import { orderContext } from './testing/index.ts';

const meta: SignalMeta = {
  id: 'acme.big-order',
  version: '1.0.0',
  title: 'Big order',
  description: 'The order is larger than a threshold.',
  category: 'order',
  appliesTo: ['order'],
  defaultWeight: 10,
  params: { type: 'object', properties: { above: { type: 'number', minimum: 0, default: 100 } } },
  needs: ['subject'],
  messages: { big: 'Order of {{total}} is above {{above}}.' },
};
const bigOrder = defineSignal<{ above: number }>({
  meta,
  evaluate: (ctx, params) =>
    ctx.subject.order.totalPrice > params.above
      ? { status: 'hit', messageId: 'big', data: { total: ctx.subject.order.totalPrice, above: params.above } }
      : { status: 'no_hit' },
});

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as SignalDefinitionError).problems.map((p) => `${p.pointer} ${p.message}`);
  }
  return [];
};

describe('defineSignal', () => {
  it('returns a frozen signal that loaders can recognise', () => {
    expect(isSignal(bigOrder)).toBe(true);
    expect(Object.isFrozen(bigOrder)).toBe(true);
    expect(isSignal({ meta, evaluate: () => ({}) })).toBe(false);
  });

  it('refuses incomplete or malformed meta, listing every problem', () => {
    const problems = problemsOf(() =>
      defineSignal({ meta: { ...meta, id: 'BigOrder', version: '1', category: 'misc' as never, appliesTo: [] }, evaluate: () => ({ status: 'no_hit' }) }),
    );
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/id /), expect.stringMatching(/^\/version /), expect.stringMatching(/^\/category /), expect.stringMatching(/^\/appliesTo /)]));
  });

  it('requires a default for every param and a typed params schema', () => {
    expect(problemsOf(() => defineSignal({ meta: { ...meta, params: { type: 'object', properties: { above: { type: 'number' } } } }, evaluate: () => ({ status: 'no_hit' }) }))).toEqual([
      '/params/properties/above needs a "default"',
    ]);
    expect(problemsOf(() => defineSignal({ meta: { ...meta, params: {} as never }, evaluate: () => ({ status: 'no_hit' }) }))[0]).toMatch(/^\/params/);
  });

  it('refuses a params schema with a typo in a keyword (ajv strict mode)', () => {
    const problems = problemsOf(() =>
      defineSignal({ meta: { ...meta, params: { type: 'object', properties: { above: { type: 'number', minimun: 0, default: 1 } } } }, evaluate: () => ({ status: 'no_hit' }) }),
    );
    expect(problems[0]).toMatch(/\/params is not a valid JSON Schema: .*minimun/);
  });
});

describe('resolveParams', () => {
  it('fills defaults, keeps given values and freezes the result', () => {
    const resolved = resolveParams(bigOrder, { above: 5 });
    expect(resolved).toEqual({ ok: true, params: { above: 5 } });
    expect(resolveParams(bigOrder, undefined)).toEqual({ ok: true, params: { above: 100 } });
    expect(Object.isFrozen((resolved as { params: object }).params)).toBe(true);
  });

  it('refuses unknown params and wrong types with pointers', () => {
    expect(resolveParams(bigOrder, { abov: 5, above: -1 })).toEqual({
      ok: false,
      problems: [
        { pointer: '/abov', message: 'unknown property "abov"' },
        { pointer: '/above', message: 'must be >= 0' },
      ],
    });
    expect(resolveParams(bigOrder, [1])).toMatchObject({ ok: false, problems: [{ pointer: '', message: 'params must be an object' }] });
  });

  it('does not mutate the caller params', () => {
    const given = {};
    resolveParams(bigOrder, given);
    expect(given).toEqual({});
  });
});

describe('evaluateSignal and the result contract', () => {
  it('renders the message template and defaults strength and evidence', () => {
    const result = evaluateSignal(bigOrder, orderContext(), { above: 10 });
    expect(result).toEqual({ status: 'hit', strength: 1, evidence: {}, message: 'Order of 50 is above 10.', messageId: 'big' });
  });

  it.each([
    [{ status: 'maybe' }, /status must be one of/],
    [{ status: 'hit', strength: 1.5, message: 'x' }, /strength must be a number from 0 to 1; got 1.5/],
    [{ status: 'hit', strength: Number.NaN, message: 'x' }, /strength must be a number from 0 to 1/],
    [{ status: 'hit', strength: 0, message: 'x' }, /a hit must have a strength above 0/],
    [{ status: 'hit', message: 'x', evidence: [] }, /evidence must be a plain object/],
    [{ status: 'hit', message: 'x', evidence: { n: Infinity } }, /non-finite number/],
    [{ status: 'hit', message: 'x', evidence: { rows: 'x'.repeat(5000) } }, /keep it under 4096/],
    [{ status: 'hit', messageId: 'nope' }, /unknown messageId "nope" \(meta.messages has: big\)/],
    [{ status: 'hit', messageId: 'big', data: { total: 1 } }, /placeholder \{\{above\}\} has no value/],
    [{ status: 'insufficient_data' }, /needs a messageId or a message/],
    [null, /expected an object, got object/],
  ])('refuses %j', (outcome, pattern) => {
    expect(() => normalizeOutcome(bigOrder.meta, outcome as never)).toThrow(pattern);
  });

  it('turns a throwing signal into an error result instead of throwing', () => {
    const throwing = defineSignal({ meta: { ...meta, messages: undefined }, evaluate: () => { throw new RangeError('bad data'); } });
    expect(evaluateSignal(throwing, orderContext(), {})).toEqual({ status: 'error', strength: 0, evidence: {}, message: 'RangeError: bad data' });
  });
});

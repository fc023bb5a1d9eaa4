import { defineSignal, type SignalOutcome } from '../sdk/index.ts';

/** Tiny signals for engine tests: each returns what its params say, or misbehaves on purpose. */
export function fixedSignal(id: string, outcome: SignalOutcome, defaultWeight = 10, appliesTo: ('order' | 'return' | 'refund')[] = ['order', 'return', 'refund']) {
  return defineSignal<{ strength: number }>({
    meta: {
      id,
      version: '1.2.3',
      title: `Fixed ${id}`,
      description: 'Returns a fixed outcome, for engine tests.',
      category: 'order',
      appliesTo,
      defaultWeight,
      params: { type: 'object', properties: { strength: { type: 'number', minimum: 0, maximum: 1, default: outcome.strength ?? 1 } } },
      needs: ['subject'],
    },
    evaluate: (_ctx, params) => (outcome.status === 'hit' ? { ...outcome, strength: params.strength } : outcome),
  });
}

export const throwingSignal = defineSignal({
  meta: {
    id: 'test.throws',
    version: '1.0.0',
    title: 'Always throws',
    description: 'Throws on every call, for engine tests.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 50,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
  },
  evaluate() {
    throw new Error('upstream data missing');
  },
});

export const outOfRangeSignal = defineSignal({
  meta: {
    id: 'test.out-of-range',
    version: '1.0.0',
    title: 'Strength out of range',
    description: 'Returns a strength above 1, for engine tests.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 50,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
  },
  evaluate: () => ({ status: 'hit', strength: 7, message: 'too strong' }),
});

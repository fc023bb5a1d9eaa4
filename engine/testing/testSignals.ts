import { defineSignal, type SignalOutcome } from '../../sdk/index.ts';

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

function misbehavingSignal(id: string, title: string, evaluate: () => SignalOutcome) {
  return defineSignal({
    meta: {
      id,
      version: '1.0.0',
      title,
      description: `${title}, for engine tests.`,
      category: 'order',
      appliesTo: ['order', 'return', 'refund'],
      defaultWeight: 50,
      params: { type: 'object', properties: {} },
      needs: ['subject'],
    },
    evaluate,
  });
}

export const throwingSignal = misbehavingSignal('test.throws', 'Always throws', () => {
  throw new Error('upstream data missing');
});

export const outOfRangeSignal = misbehavingSignal('test.out-of-range', 'Strength out of range', () => ({ status: 'hit', strength: 7, message: 'too strong' }));

import type { RingNeighbourhood, SignalContext } from './context.ts';

/**
 * Identifiers shared by more than this many other customers before an event are hubs: the
 * context counts them (`identifiers[].sharedWith`, up to `RING_LIST_LIMIT + 1`) but lists none of their users, so a
 * marketplace's warehouse address cannot make a context (or a trace) grow with the shop.
 */
export const RING_LIST_LIMIT = 50;

/** The point-in-time ring neighbourhood the context builder put in `ctx.derived.ring`, if any. */
export function ringOf(ctx: Pick<SignalContext, 'derived'>): RingNeighbourhood | undefined {
  const ring = ctx.derived.ring as RingNeighbourhood | undefined;
  return ring && Array.isArray(ring.identifiers) && Array.isArray(ring.linked) ? ring : undefined;
}

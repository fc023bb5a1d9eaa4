import type { IdentityFacts, SignalContext } from './context.ts';

/**
 * Orders per identifier in the last day are counted up to this many (`IdentifierFacts.lastDay`),
 * and a device's cards are read from its latest this-many orders of the day, so a shop's office
 * IP or a popular browser cannot make a context (or the store read behind it) grow with the shop.
 */
export const IDENTITY_RECENT_LIMIT = 25;

/** The point-in-time identity facts the context builder put in `ctx.derived.identity`, if any. */
export function identityOf(ctx: Pick<SignalContext, 'derived'>): IdentityFacts | undefined {
  const identity = ctx.derived.identity as IdentityFacts | undefined;
  return identity && Array.isArray(identity.identifiers) && identity.cards && Array.isArray(identity.guestSharesAccount) ? identity : undefined;
}

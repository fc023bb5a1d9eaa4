import type {
  CustomerHistory,
  CustomerSnapshot,
  HashedLists,
  IdentityFacts,
  OrderRecord,
  PastDecision,
  RingNeighbourhood,
  ShopBaseline,
  SignalContext,
  Subject,
} from '../../sdk/index.ts';
import { identityAt, type IdentifierSharing, type IdentitySource } from './identityAt.ts';
import { ringAt, type RingSource } from './ringAt.ts';

/**
 * The one point-in-time context builder. Its two indexes cut a customer's records at the
 * subject's time by the same rules — records strictly before it, the subject never in its own
 * history, a delivery or a closing that comes later hidden — `contextAt` from a `ShopHistory`
 * (live scoring and the backfill, replays, the CLI and the simulator) and `HistoryStream` from a
 * history fed in time order (`rescoreChanged`); both then make the context here: the customer as
 * known then, the derived facts (ring neighbourhood, identity facts) and the parts every context
 * has. A test compares every context of the two.
 */

export interface ContextOptions {
  shopId: string;
  /** The shop baseline in force at the subject's time (built only from earlier events). */
  baseline?: ShopBaseline;
  lists?: HashedLists;
  /**
   * A revision's point of knowledge (`SignalContext.knownAt`): the facts learned after the subject
   * (chargebacks, outcomes, fulfilments, return closings, transactions, identifier sharing) are cut
   * here instead of at the subject's time. Ignored when not later than the subject.
   */
  knownAt?: string;
}

export const EMPTY_BASELINE: ShopBaseline = Object.freeze({ measures: {}, skuReturnRates: {} }) as ShopBaseline;
export const EMPTY_LISTS: HashedLists = Object.freeze({ blocked: {}, allowed: {} }) as HashedLists;
const RISK_TAG = /^refundsentry:(low|medium|high)-risk$/;

/**
 * The customer as known then: their stored snapshot, with RefundSentry's own risk tag taken
 * from the latest earlier decision rather than from whatever the tag is today.
 */
export function customerAt(snapshot: CustomerSnapshot | undefined, id: string | null, latest: PastDecision | undefined): CustomerSnapshot | null {
  if (!id) return null;
  const base = snapshot ?? { id, tags: [], identity: {} };
  const tags = base.tags.filter((tag) => !RISK_TAG.test(tag));
  if (latest) tags.push(`refundsentry:${latest.zone}-risk`);
  return { ...base, tags };
}

/**
 * The derived facts of every context: `ring` (`ringAt`) from the subject's order and the
 * customer's earlier ones (`earlier`: their orders strictly before the subject, itself excluded),
 * and for an order subject `identity` (`identityAt`), from the same counts.
 */
export function derivedAt(source: RingSource & IdentitySource, key: string, subject: Subject, earlier: readonly OrderRecord[], at: number, knownAt = at): { ring: RingNeighbourhood; identity?: IdentityFacts } {
  // The subject's own order is known at its time (an order subject is excluded from its history).
  const own = subject.kind === 'order' ? [subject.order, ...earlier] : earlier.some((o) => o.id === subject.order.id) ? earlier : [subject.order, ...earlier];
  const sharing = new Map<string, IdentifierSharing>();
  // A revision sees the ring as known at its trigger (others who joined since); the identity
  // facts (the subject's checkout, the day before it) stay at the subject's time.
  const ring = ringAt(source, key, own, knownAt, knownAt === at ? sharing : new Map());
  return subject.kind === 'order' ? { ring, identity: identityAt(source, subject.order, earlier, at, sharing) } : { ring };
}

/**
 * The context of a subject from its cut history: `seal` is applied to each part (the stream
 * freezes them; `contextAt` hands them out as they are) and, when given, to the whole.
 */
export function pointInTimeContext(
  subject: Subject,
  customer: CustomerSnapshot | null,
  history: CustomerHistory,
  derived: SignalContext['derived'],
  options: ContextOptions,
  seal?: <T>(part: T) => T,
): SignalContext {
  const s = seal ?? (<T>(part: T) => part);
  const context: SignalContext = {
    shopId: options.shopId,
    now: subject.at,
    ...(options.knownAt !== undefined && Date.parse(options.knownAt) > Date.parse(subject.at) ? { knownAt: options.knownAt } : {}),
    subject: s(subject),
    customer: s(customer),
    history: s(history),
    baseline: s(options.baseline ?? EMPTY_BASELINE),
    lists: s(options.lists ?? EMPTY_LISTS),
    derived: s(derived),
  };
  return seal ? Object.freeze(context) : context;
}

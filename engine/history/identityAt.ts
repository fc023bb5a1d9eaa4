import { IDENTITY_RECENT_LIMIT, type IdentifierFacts, type IdentifierKind, type IdentityFacts, type OrderRecord } from '../../sdk/index.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Who had used one identifier before a moment: its `sharedWith`, split into accounts and guest
 * orders (null for a hub). `ringAt` counts it while judging the ring; the identity facts reuse it.
 */
export interface IdentifierSharing {
  sharedWith: number;
  accounts: number | null;
  guests: number | null;
}

/**
 * The orders that carried one identifier (`kind:hash`), with their times and cards, kept sorted by
 * (time, order id) so that the orders of the day before a moment are a binary search and a short
 * walk back, whatever the identifier's popularity (a warehouse address carried by every order of a
 * shop costs a context no more than a customer's own email). Records arrive in any order; the list
 * is sorted again on the first read after an out-of-order arrival (never, in a time-ordered feed).
 */
export class IdentifierOrders {
  private times: number[] = [];
  private orders: string[] = [];
  private cards: (string | undefined)[] = [];
  private sorted = true;

  add(orderId: string, at: number, card: string | undefined): void {
    const n = this.times.length;
    if (n > 0 && (at < this.times[n - 1] || (at === this.times[n - 1] && orderId < this.orders[n - 1]))) this.sorted = false;
    this.times.push(at);
    this.orders.push(orderId);
    this.cards.push(card);
  }

  /**
   * The latest `IDENTITY_RECENT_LIMIT` distinct orders in [at − 24 h, at), but `except`, latest first
   * (ties: the greater order id first), each with its time and card. The store reads the same
   * (`ContextStore.material`'s recent uses), so a live context equals a replayed one.
   */
  lastDay(at: number, except: string): { at: number; card: string | undefined }[] {
    if (!this.sorted) this.sort();
    const { times, orders, cards } = this;
    // The first index at or after `at`: everything before it happened strictly before.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    const out: { at: number; card: string | undefined }[] = [];
    let previous: string | undefined;
    for (let i = lo - 1; i >= 0 && times[i] >= at - DAY_MS && out.length < IDENTITY_RECENT_LIMIT; i--) {
      // The same order added twice (a store's recent use and the order's own record) sits next to itself.
      if (orders[i] === previous || orders[i] === except) continue;
      previous = orders[i];
      out.push({ at: times[i], card: cards[i] });
    }
    return out;
  }

  private sort(): void {
    const index = this.times.map((_, i) => i);
    index.sort((a, b) => this.times[a] - this.times[b] || (this.orders[a] < this.orders[b] ? -1 : this.orders[a] > this.orders[b] ? 1 : 0));
    this.times = index.map((i) => this.times[i]);
    this.orders = index.map((i) => this.orders[i]);
    this.cards = index.map((i) => this.cards[i]);
    this.sorted = true;
  }
}

/** The orders of each identifier (`kind:hash`): what ShopHistory and HistoryStream both keep for `identityAt`. */
export interface IdentitySource {
  readonly identifierOrders: ReadonlyMap<string, IdentifierOrders>;
}

/** Files an order's identifiers in `into` (`kind:hash` → its orders). */
export function addOrderIdentifiers(into: Map<string, IdentifierOrders>, order: Pick<OrderRecord, 'id' | 'identity'>, at: number): void {
  const card = order.identity?.payment || undefined;
  for (const [kind, hash] of Object.entries(order.identity ?? {})) if (hash) addIdentifierOrder(into, `${kind}:${hash}`, order.id, at, card);
}

/** Files one order's use of an identifier (`kind:hash`) in `into`. */
export function addIdentifierOrder(into: Map<string, IdentifierOrders>, identifier: string, orderId: string, at: number, card: string | undefined): void {
  let orders = into.get(identifier);
  if (!orders) into.set(identifier, (orders = new IdentifierOrders()));
  orders.add(orderId, at, card);
}

/**
 * The identity facts of an order subject at time `at` (ms): for each identifier of `order`, its
 * sharing before `at` (as `ringAt` counted it into `sharing`: never counted twice) and the orders
 * carrying it in the hour and the day before; the cards of the customer (`earlier`: their orders
 * before `at`) and of the order's device lately; for a guest, the kinds an account used before.
 * Records after `at` never change the result.
 */
export function identityAt(source: IdentitySource, order: OrderRecord, earlier: readonly OrderRecord[], at: number, sharing: ReadonlyMap<string, IdentifierSharing>): IdentityFacts {
  const identifiers: IdentifierFacts[] = [];
  const guestSharesAccount: IdentifierKind[] = [];
  let deviceCards: number | undefined;
  const ownCard = order.identity?.payment || undefined;
  const entries = (Object.entries(order.identity ?? {}) as [IdentifierKind, string | undefined][]).filter(([, hash]) => Boolean(hash));
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [kind, hash] of entries) {
    const shared = sharing.get(`${kind}:${hash}`) ?? { sharedWith: 0, accounts: 0, guests: 0 };
    const recent = source.identifierOrders.get(`${kind}:${hash}`)?.lastDay(at, order.id) ?? [];
    let lastHour = 0;
    for (const use of recent) if (use.at >= at - HOUR_MS) lastHour++;
    identifiers.push({ kind, sharedWith: shared.sharedWith, accounts: shared.accounts, guests: shared.guests, lastHour, lastDay: recent.length });
    if (!order.customerId && shared.accounts !== null && shared.accounts > 0) guestSharesAccount.push(kind);
    if (kind === 'device') deviceCards = distinctCards(recent.map((use) => use.card), ownCard);
  }
  const customerCards = distinctCards(order.customerId ? earlier.map((o) => o.identity?.payment) : [], ownCard);
  return {
    identifiers,
    cards: deviceCards === undefined ? { customer: customerCards } : { customer: customerCards, device: deviceCards },
    guestSharesAccount,
  };
}

function distinctCards(cards: readonly (string | undefined)[], own: string | undefined): number {
  const set = new Set<string>();
  for (const card of cards) if (card) set.add(card);
  if (own) set.add(own);
  return set.size;
}

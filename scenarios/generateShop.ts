import type { HistoryEvent } from '../engine/history/index.ts';
import type { SubjectKind } from '../sdk/index.ts';
import { contextRecords, storedRecords, storedProductFacts, type Delivery } from './appRecords.ts';
import { CATALOG, GIFT_CARD, SIZED, WORN_TYPES, productFactsAnswer, salePrice, type Product, type ProductFactsAnswer } from './catalog.ts';
import { addressOf, cardOf, deviceOf, fullName, personOf, typedPhone, Uniques, type Card, type Device, type PostalAddress } from './people.ts';
import { freshIp, MOBILE } from './publicIps.ts';
import { Random } from './random.ts';
import { REASON_NOTES } from './reasonNotes.ts';
import {
  disputeBody, fulfillmentBody, iso, orderBody, refundBody, returnCloseBody, returnRequestBody, transactionBody,
  type Buyer, type DisputePlan, type FulfillmentPlan, type LinePlan, type OrderPlan, type PaymentAttempt, type RefundPlan, type ReturnPlan,
} from './shopifyBodies.ts';

export type { Delivery } from './appRecords.ts';

/**
 * A seeded generator of a realistic shop year with injected, labelled abuse: most customers are
 * honest, some honest customers return a lot (and must not be flagged), and a few follow abuse
 * patterns (wardrobing, bracketing, serial returning, a fraud ring sharing an address, a device
 * and a card, return-plus-chargeback double dips). With `households`, honest households too:
 * two or three accounts at one address sharing the family's browser and home IP, spouses often a
 * card — what a ring shares, for honest reasons (and must not be flagged either).
 *
 * It writes what Shopify would send, and only that: per order an orders/create body (buyer,
 * addresses with coordinates, browser, a real public IP of the buyer's country) and an
 * order_transactions/create body per payment attempt (the card as Shopify masks it, AVS and CVV
 * results); fulfilments (shipped, then the delivery scan's update), returns (request, then close
 * when refunded; reasons and the customers' own notes), refunds and disputes; and the catalogue
 * as the Admin API's answer to the app's `ProductFacts` query (`catalog.ts`). The history is what
 * the app's own normalizers make of those bodies, with the shop's key (`appRecords.ts`), so a
 * signal reading a field no Shopify payload fills answers `insufficient_data` here as on a real
 * shop.
 */

export type Pattern =
  | 'honest'
  | 'honest-heavy-returner'
  | 'honest-household'
  | 'wardrober'
  | 'bracketer'
  | 'serial-returner'
  | 'fraud-ring'
  | 'double-dipper';

export const ABUSIVE_PATTERNS: ReadonlySet<Pattern> = new Set(['wardrober', 'bracketer', 'serial-returner', 'fraud-ring', 'double-dipper']);

export interface EventLabel {
  subjectId: string;
  kind: SubjectKind;
  customerId: string;
  pattern: Pattern;
  /** True for the events the pattern is about (e.g. a wardrober's returns, a ring's orders). */
  target: boolean;
}

export interface GeneratedShop {
  /**
   * The history as the app's contexts see it: `stored`, each order's lines with their product
   * type and compare-at price from `products` (`appRecords.ts contextRecords`). In delivery order.
   */
  events: HistoryEvent[];
  /**
   * The records as the app stores them from `deliveries` (`appRecords.ts storedRecords`): the
   * normalizers' records, one per resource, each order with the card that paid it (the database
   * gives a stored order its card). No product facts: the app keeps those apart.
   */
  stored: HistoryEvent[];
  labels: EventLabel[];
  /** Every webhook body, in time order: send them signed to the app, or normalize them. */
  deliveries: Delivery[];
  /** The Admin API's answers to `ProductFacts` for the catalogue (the app stores them with `productFactsOf`). */
  products: ProductFactsAnswer[];
}

export interface GenerateOptions {
  seed?: number;
  customers?: number;
  /** First day of the history (ISO date). */
  start?: string;
  days?: number;
  /** The shop's key for identifier hashes (the app's is per shop: `shops.hash_key`). */
  shopKey?: string;
  /** The shop's domain, in the order status URLs. */
  shopDomain?: string;
  /**
   * Honest households to add (default 0): each two or three accounts at one address, sharing the
   * family's browser and home IP, the first two (spouses) a card half the time, buying and
   * returning as honest customers do. They are customers beyond `customers`, drawn from streams of
   * their own after everyone else, so every other customer's draws, orders, returns and times stay
   * as they are without them (the order numbers #1001… count theirs too).
   */
  households?: number;
}

/** The hashing key of a generated shop that is not given one (hashes only have to agree within a shop). */
export const GENERATED_SHOP_KEY = 'generated.myshopify.com/identity-key';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIXED_REASONS = [
  ['SIZE_TOO_SMALL', 3],
  ['SIZE_TOO_LARGE', 3],
  ['COLOR', 1],
  ['STYLE', 2],
  ['UNWANTED', 2],
  ['DEFECTIVE', 1],
  ['NOT_AS_DESCRIBED', 1],
  ['WRONG_ITEM', 0.3],
] as const;
/** Shopify id ranges of today's shops (13-14 digits, below 2^53), one per resource type. */
const IDS = {
  customer: 7_412_055_000_000,
  order: 5_938_120_000_000,
  line: 14_822_310_000_000,
  fulfillment: 5_127_640_000_000,
  return: 13_487_000_000,
  refund: 1_018_330_000_000,
  dispute: 10_552_000_000,
  transaction: 7_204_918_000_000,
} as const;

type RefundMethod = RefundPlan['method'];

export function generateShop(options: GenerateOptions = {}): GeneratedShop {
  return new ShopGenerator(options).run();
}

interface Purchase {
  product: Product;
  variant: string;
  quantity?: number;
}

interface Customer {
  n: number;
  pattern: Pattern;
  gid: string;
  createdAt: string;
  buyer: Buyer;
}

/** What an honest household's members share: the address, the family's browser and home IP, and (spouses, half the time) a card. */
interface HouseholdShared {
  head: ReturnType<typeof personOf>;
  address: PostalAddress;
  device: Device;
  homeIp: string;
  card?: Card;
}

/** What a fraud ring's members share: the drop address, one browser, one stolen card. */
interface RingShared {
  address: PostalAddress;
  device: Device;
  card: Card;
}

class ShopGenerator {
  /**
   * The draws of the shop's shape (who, when, what, which pattern), in the same order as before
   * the generator wrote Shopify bodies, so that a seed gives the same customers, orders, returns
   * and times as it did then and the two can be compared event for event.
   */
  private random: Random;
  /** Return notes draw from their own stream, so adding them left every other draw as it was. */
  private noteRandom: Random;
  /** The checkout's details (which device and card, payment attempts, the IP of an order): their own stream too. */
  private checkoutRandom: Random;
  /** The households' own streams (shape, notes, checkouts): they draw after everyone else, from these only. */
  private readonly householdStreams: { shape: Random; notes: Random; checkout: Random };
  private readonly households: number;
  private readonly scripted = new Map<string, boolean>();
  private readonly uniques = new Uniques();
  private readonly start: number;
  private readonly days: number;
  private readonly customers: number;
  private readonly shopKey: string;
  private readonly shopDomain: string;
  private readonly labels: EventLabel[] = [];
  private readonly orders: OrderPlan[] = [];
  private readonly fulfillments: FulfillmentPlan[] = [];
  private readonly returns: ReturnPlan[] = [];
  private readonly refunds: RefundPlan[] = [];
  private readonly disputes: DisputePlan[] = [];
  private nextId = 1;
  private nextTransaction = 1;

  constructor(options: GenerateOptions) {
    const seed = options.seed ?? 7;
    this.random = new Random(seed);
    this.noteRandom = new Random(seed * 7919 + 101);
    this.checkoutRandom = new Random(seed * 104_729 + 3);
    this.householdStreams = { shape: new Random(seed * 15_485_863 + 17), notes: new Random(seed * 32_452_843 + 29), checkout: new Random(seed * 49_979_687 + 31) };
    this.households = options.households ?? 0;
    this.start = Date.parse(`${options.start ?? '2025-01-01'}T00:00:00Z`);
    this.days = options.days ?? 365;
    this.customers = options.customers ?? 600;
    this.shopKey = options.shopKey ?? GENERATED_SHOP_KEY;
    this.shopDomain = options.shopDomain ?? 'generated.myshopify.com';
  }

  run(): GeneratedShop {
    const ringSize = 5;
    const rings = Math.max(1, Math.round(this.customers / 300));
    let n = 0;
    for (let ring = 0; ring < rings; ring++) {
      const shared = this.ringShared(this.random.hex(16), this.random.hex(16), this.random.hex(16));
      for (let m = 0; m < ringSize; m++) this.fraudRingMember(++n, shared);
    }
    while (n < this.customers) {
      const pattern = this.random.weighted<Exclude<Pattern, 'fraud-ring' | 'honest-household'>>([
        ['honest', 80],
        ['honest-heavy-returner', 6],
        ['wardrober', 3.5],
        ['bracketer', 3.5],
        ['serial-returner', 3.5],
        ['double-dipper', 3.5],
      ]);
      this[camel(pattern)](++n);
    }
    // Households last, from their own streams: nothing above draws differently for them.
    this.inStreams(this.householdStreams, () => {
      for (let h = 0; h < this.households; h++) {
        const size = this.random.chance(0.6) ? 2 : 3;
        this.household(n + 1, size);
        n += size;
      }
    });
    const deliveries = this.deliveries();
    const products = [productFactsAnswer(CATALOG)];
    const stored = storedRecords(deliveries, this.shopKey);
    const events = contextRecords(stored, storedProductFacts(products));
    return { events, stored, labels: this.labels, deliveries, products };
  }

  // ---- archetypes -------------------------------------------------------------------------

  private honest(n: number): void {
    const customer = this.customer(n, 'honest', this.random.between(-400, 200));
    for (const at of this.orderTimes(this.random.int(1, 6), customer)) {
      const order = this.order(customer, at, this.randomBasket(this.random.int(1, 3)));
      const delivered = this.fulfil(order, false);
      if (this.random.chance(0.12)) this.returnItems(customer, order, [0], delivered + this.random.between(4, 20) * DAY, () => this.mixedReason(), this.honestMethod(), false);
    }
  }

  private honestHeavyReturner(n: number): void {
    const customer = this.customer(n, 'honest-heavy-returner', this.random.between(-700, -200));
    for (const at of this.orderTimes(this.random.int(6, 12), customer)) {
      const order = this.order(customer, at, this.randomBasket(this.random.int(2, 3)));
      const delivered = this.fulfil(order, false);
      if (this.random.chance(0.45)) {
        const count = this.random.int(1, Math.max(1, order.lines.length - 1));
        this.returnItems(customer, order, range(count), delivered + this.random.between(5, 21) * DAY, () => this.mixedReason(), this.random.chance(0.4) ? 'exchange' : this.honestMethod(), false);
      }
    }
  }

  /**
   * An honest household: two or three accounts at one address (spouses, a grown child or a
   * roommate), each with their own email, phone and card, sharing the family laptop (their usual
   * browser; some also shop from their own phone) and the home IP; the first two share one card
   * half the time (spouses do). They buy and return as honest customers do. A later member often
   * opens the account at checkout, on the family laptop, minutes before the first order.
   */
  private household(first: number, size: number): void {
    const [addressSeed, deviceSeed, ipSeed, cardSeed] = range(4).map(() => this.random.hex(16));
    const head = personOf(seeded(addressSeed!), this.uniques);
    const shared: HouseholdShared = {
      head,
      address: addressOf(seeded(addressSeed!), this.uniques, head),
      device: deviceOf(seeded(deviceSeed!), this.uniques, false),
      homeIp: freshIp('US', seeded(ipSeed!), this.uniques.ips, (b) => !MOBILE(b)),
    };
    if (this.random.chance(0.5)) shared.card = cardOf(seeded(cardSeed!), this.uniques, fullName(head), new Date(this.start).getUTCFullYear());
    for (let m = 0; m < size; m++) {
      const joinsAtCheckout = m > 0 && this.random.chance(0.5);
      const createdDay = m === 0 ? this.random.between(-500, 60) : joinsAtCheckout ? this.random.between(5, 280) : this.random.between(-400, 200);
      const customer = this.householdMember(first + m, m, createdDay, shared);
      const count = this.random.int(1, 6);
      const times = joinsAtCheckout
        ? [Date.parse(customer.createdAt) + this.random.between(3, 40) * 60_000, ...this.orderTimes(count - 1, customer)].sort((a, b) => a - b)
        : this.orderTimes(count, customer);
      for (const at of times) {
        const order = this.order(customer, at, this.randomBasket(this.random.int(1, 3)));
        const delivered = this.fulfil(order, false);
        if (this.random.chance(0.15)) this.returnItems(customer, order, [0], delivered + this.random.between(4, 20) * DAY, () => this.mixedReason(), this.honestMethod(), false);
      }
    }
  }

  /** A household member: their own email, phone and card; the household's address, browser, home IP and (the first two) its shared card. */
  private householdMember(n: number, member: number, createdDay: number, shared: HouseholdShared): Customer {
    const createdAt = iso(this.start + Math.round(createdDay * DAY) + this.random.int(0, 23) * HOUR);
    const [email, device, ip, payment] = range(4).map(() => this.random.hex(16));
    const person = member === 0 ? shared.head : personOf(seeded(email!), this.uniques);
    const devices = [shared.device];
    const phone = seeded(device!);
    if (phone.chance(0.5)) devices.push(deviceOf(phone, this.uniques, true));
    const mobileIp = devices.length > 1 ? freshIp('US', seeded(ip!), this.uniques.ips, MOBILE) : undefined;
    const own = cardOf(seeded(payment!), this.uniques, fullName(person), new Date(this.start).getUTCFullYear());
    const cards = shared.card && member === 0 ? [shared.card] : shared.card && member === 1 ? [shared.card, own] : [own];
    const id = IDS.customer + n;
    const buyer: Buyer = {
      id,
      createdAt,
      person,
      address: { ...shared.address, firstName: person.firstName, lastName: person.lastName, phone: typedPhone(person.phone) },
      devices,
      homeIp: shared.homeIp,
      ...(mobileIp ? { mobileIp } : {}),
      cards,
    };
    return { n, pattern: 'honest-household', gid: `gid://shopify/Customer/${id}`, createdAt, buyer };
  }

  /** Runs `generate` with the shape, note and checkout draws taken from `streams`, then puts the shop's own back. */
  private inStreams(streams: { shape: Random; notes: Random; checkout: Random }, generate: () => void): void {
    const own = { shape: this.random, notes: this.noteRandom, checkout: this.checkoutRandom };
    this.random = streams.shape;
    this.noteRandom = streams.notes;
    this.checkoutRandom = streams.checkout;
    try {
      generate();
    } finally {
      this.random = own.shape;
      this.noteRandom = own.notes;
      this.checkoutRandom = own.checkout;
    }
  }

  private wardrober(n: number): void {
    const customer = this.customer(n, 'wardrober', this.random.between(-300, 60));
    const worn = CATALOG.filter((p) => WORN_TYPES.has(p.productType));
    for (const deliveryDay of this.weekdayTimes(this.random.int(4, 8), customer, [4, 5])) {
      const express = this.random.chance(0.5);
      const product = this.random.pick(worn);
      const at = deliveryDay - (express ? 2 : 4) * DAY - this.random.int(1, 8) * HOUR;
      const order = this.order(customer, at, [{ product, variant: this.random.pick(product.variants) }], { express });
      const delivered = this.fulfil(order, express, deliveryDay + this.random.int(9, 17) * HOUR);
      if (this.random.chance(0.85)) {
        const back = nextWeekday(delivered, [0, 1, 2]) + this.random.int(8, 20) * HOUR;
        this.returnItems(customer, order, [0], back, () => this.random.pick(['UNWANTED', 'STYLE', 'UNWANTED']), 'original_payment', true);
      }
    }
  }

  private bracketer(n: number): void {
    const customer = this.customer(n, 'bracketer', this.random.between(-300, 100));
    const sized = CATALOG.filter(SIZED);
    for (const at of this.orderTimes(this.random.int(4, 8), customer)) {
      const product = this.random.pick(sized);
      const sizes = this.random.sample(product.variants, 3);
      const order = this.order(customer, at, sizes.map((variant) => ({ product, variant })));
      const delivered = this.fulfil(order, false);
      if (this.random.chance(0.9)) {
        const kept = this.random.int(0, 2);
        const back = range(3).filter((i) => i !== kept);
        this.returnItems(customer, order, back, delivered + this.random.between(2, 9) * DAY, () => this.random.pick(['SIZE_TOO_SMALL', 'SIZE_TOO_LARGE']), this.random.chance(0.7) ? 'original_payment' : 'store_credit', true);
      }
    }
  }

  private serialReturner(n: number): void {
    const customer = this.customer(n, 'serial-returner', this.random.between(-200, 100));
    const reason = this.random.pick(['NOT_AS_DESCRIBED', 'DEFECTIVE', 'SIZE_TOO_SMALL']);
    const pricey = CATALOG.filter((p) => p.price >= 120 && !GIFT_CARD(p));
    for (const at of this.orderTimes(this.random.int(6, 12), customer)) {
      const basket = [this.pick(pricey), ...this.randomBasket(this.random.int(0, 2))];
      const order = this.order(customer, at, basket);
      const delivered = this.fulfil(order, this.random.chance(0.3));
      if (this.random.chance(0.8)) {
        this.returnItems(customer, order, range(order.lines.length), delivered + this.random.between(0.2, 2) * DAY, () => reason, 'original_payment', true);
      }
    }
  }

  private doubleDipper(n: number): void {
    const customer = this.customer(n, 'double-dipper', this.random.between(-300, 100));
    const times = this.orderTimes(this.random.int(3, 6), customer);
    const dips = new Set(this.random.sample(range(times.length), Math.min(times.length, this.random.int(1, 2))));
    times.forEach((at, i) => {
      const order = this.order(customer, at, this.randomBasket(this.random.int(1, 2), 60));
      const delivered = this.fulfil(order, false);
      if (!dips.has(i)) {
        if (this.random.chance(0.2)) this.returnItems(customer, order, [0], delivered + this.random.between(4, 15) * DAY, () => this.mixedReason(), 'original_payment', false);
        return;
      }
      const disputeAt = delivered + this.random.between(5, 15) * DAY;
      this.chargeback(order, disputeAt, this.random.pick(['product_not_received', 'fraudulent', 'product_unacceptable'] as const));
      this.returnItems(customer, order, range(order.lines.length), disputeAt + this.random.between(2, 8) * DAY, () => 'NOT_AS_DESCRIBED', 'original_payment', true);
    });
  }

  /**
   * A ring member: a fresh account on a throwaway email, ordering resellable goods by express to
   * the ring's drop address from the ring's one browser, paying with the ring's one stolen card
   * (its AVS check fails: the billing address is the drop, not the cardholder's), from an IP in
   * Nigeria, Russia or Vietnam.
   */
  private fraudRingMember(n: number, shared: RingShared): void {
    const customer = this.customer(n, 'fraud-ring', this.random.between(30, 300), shared);
    const resellable = CATALOG.filter((p) => ['Gift card', 'Watch', 'Sneakers', 'Handbag', 'Jewelry'].includes(p.productType));
    const first = Date.parse(customer.createdAt) + this.random.between(0.05, 2) * DAY;
    for (let i = 0, at = first; i < this.random.int(1, 3) && at < this.end(); i++, at += this.random.between(3, 20) * DAY) {
      const basket = range(this.random.int(1, 3)).map(() => this.pick(resellable));
      const order = this.order(customer, at, basket, { express: true, ipCountry: this.random.pick(['NG', 'RU', 'VN']), target: true });
      this.fulfil(order, true);
      if (this.random.chance(0.6)) this.chargeback(order, at + this.random.between(20, 60) * DAY, 'fraudulent');
    }
  }

  // ---- building blocks --------------------------------------------------------------------

  /** The ring's shared drop address, browser and stolen card, each from one of the ring's draws. */
  private ringShared(addressSeed: string, deviceSeed: string, cardSeed: string): RingShared {
    const drop = personOf(seeded(addressSeed), this.uniques);
    const owner = personOf(seeded(cardSeed), this.uniques);
    return {
      address: addressOf(seeded(addressSeed), this.uniques, drop),
      device: deviceOf(seeded(deviceSeed), this.uniques, false),
      card: cardOf(seeded(cardSeed), this.uniques, fullName(owner), new Date(this.start).getUTCFullYear()),
    };
  }

  /**
   * A customer: the account's creation time, and who they are, each part drawn from its own
   * seed (one draw of the shape stream each, as when these were random hashes): a person with a
   * unique email (a throwaway one in a ring) and usually a phone, a street address, a usual
   * browser (a second one, desktop or phone, for some), a home IP of a US provider (and a
   * carrier IP for a phone), a card (a second one for some).
   */
  private customer(n: number, pattern: Pattern, createdDay: number, ring?: RingShared): Customer {
    const createdAt = iso(this.start + Math.round(createdDay * DAY) + this.random.int(0, 23) * HOUR);
    // Six draws, as when these were six random identity hashes; the person's phone comes with
    // the person, so the second one is left unused.
    const [email, , address, ip, device, payment] = range(6).map(() => this.random.hex(16));
    const person = personOf(seeded(email!), this.uniques, ring ? { disposable: true, phoneShare: 0.4 } : {});
    const ownAddress = ring ? ring.address : addressOf(seeded(address!), this.uniques, person);
    const devices = ring ? [ring.device] : this.devicesOf(seeded(device!));
    const ips = seeded(ip!);
    const homeIp = freshIp('US', ips, this.uniques.ips, (b) => !MOBILE(b));
    const mobileIp = devices.some((d) => d.mobile) ? freshIp('US', ips, this.uniques.ips, MOBILE) : undefined;
    const cards = ring ? [ring.card] : this.cardsOf(seeded(payment!), fullName(person));
    const id = IDS.customer + n;
    const buyer: Buyer = {
      id,
      createdAt,
      person,
      address: { ...ownAddress, firstName: person.firstName, lastName: person.lastName, phone: ring ? null : ownAddress.phone },
      devices,
      homeIp,
      ...(mobileIp ? { mobileIp } : {}),
      cards,
    };
    return { n, pattern, gid: `gid://shopify/Customer/${id}`, createdAt, buyer };
  }

  /** A usual browser (desktop 60 %, else a phone), and for 30 % a second one of the other kind. */
  private devicesOf(random: Random): Device[] {
    const desktop = random.chance(0.6);
    const devices = [deviceOf(random, this.uniques, !desktop)];
    if (random.chance(0.3)) devices.push(deviceOf(random, this.uniques, desktop));
    return devices;
  }

  /** A card in the customer's name, and for 20 % a second one. */
  private cardsOf(random: Random, holder: string): Card[] {
    const year = new Date(this.start).getUTCFullYear();
    const cards = [cardOf(random, this.uniques, holder, year)];
    if (random.chance(0.2)) cards.push(cardOf(random, this.uniques, holder, year));
    return cards;
  }

  private order(customer: Customer, time: number, basket: Purchase[], options: { express?: boolean; ipCountry?: string; target?: boolean } = {}): OrderPlan {
    const at = toSecond(time);
    const id = IDS.order + this.id();
    const lines: LinePlan[] = basket.map(({ product, variant, quantity }, i) => {
      const onSale = this.random.chance(product.onSaleShare);
      return { id: IDS.line + (id - IDS.order) * 100 + i, product, variant, quantity: quantity ?? 1, price: onSale ? salePrice(product) : product.price, discount: 0 };
    });
    const lineTotal = lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
    const discountCode = this.random.chance(0.15) ? 'WELCOME10' : null;
    const totalDiscounts = discountCode ? Math.round(lineTotal * 0.1 * 100) / 100 : 0;
    allocate(lines, totalDiscounts);
    const express = options.express ?? false;
    const { device, ip } = this.checkoutOf(customer.buyer, options.ipCountry);
    const plan: OrderPlan = {
      id,
      number: 0,
      at,
      buyer: customer.buyer,
      lines,
      discountCode,
      totalDiscounts,
      lineTotal,
      shipping: express ? 25 : lineTotal > 100 ? 0 : 6,
      express,
      device,
      ip,
      attempts: [],
    };
    plan.attempts = this.attemptsOf(customer, plan);
    this.orders.push(plan);
    this.label(`gid://shopify/Order/${id}`, 'order', customer, options.target ?? false);
    return plan;
  }

  /**
   * The browser and IP of a checkout: the usual browser, or for someone with two the other one a
   * third of the time; a phone on the home Wi-Fi half the time, else on its carrier; an IP of
   * `ipCountry` (a fresh one each time) when the order comes from abroad.
   */
  private checkoutOf(buyer: Buyer, ipCountry: string | undefined): { device: Device; ip: string } {
    const r = this.checkoutRandom;
    const device = buyer.devices.length > 1 && r.chance(1 / 3) ? buyer.devices[1]! : buyer.devices[0]!;
    if (ipCountry && ipCountry !== 'US') return { device, ip: freshIp(ipCountry, r, this.uniques.ips) };
    return { device, ip: device.mobile && buyer.mobileIp && r.chance(0.5) ? buyer.mobileIp : buyer.homeIp };
  }

  /**
   * The order's payment attempts. The card: the usual one, or a second card a third of the time.
   * Honest checkouts pass AVS (Y) and CVV (M); 3 % are declined once first (the issuer's
   * `card_declined`, or a mistyped security code: `incorrect_cvc`, CVV N) and then paid. A ring
   * pays with its stolen card: AVS N (the drop address is not the cardholder's), CVV M.
   */
  private attemptsOf(customer: Customer, order: OrderPlan): PaymentAttempt[] {
    const r = this.checkoutRandom;
    const { cards } = customer.buyer;
    const card = cards.length > 1 && r.chance(1 / 3) ? cards[1]! : cards[0]!;
    const ring = customer.pattern === 'fraud-ring';
    const attempts: PaymentAttempt[] = [];
    if (!ring && r.chance(0.03)) {
      const cvc = r.chance(0.5);
      attempts.push({ id: this.transactionId(), at: order.at - r.int(20, 150) * 1000, card, status: 'failure', errorCode: cvc ? 'incorrect_cvc' : 'card_declined', avs: cvc ? 'Y' : null, cvv: cvc ? 'N' : null });
    }
    attempts.push({ id: this.transactionId(), at: order.at, card, status: 'success', errorCode: null, avs: ring ? 'N' : 'Y', cvv: 'M' });
    return attempts;
  }

  /** Ships the order the next day; returns the delivery time. */
  private fulfil(order: OrderPlan, express: boolean, deliveredAt?: number): number {
    const shipped = order.at + this.random.between(12, 30) * HOUR;
    const delivered = deliveredAt ?? shipped + (express ? this.random.between(18, 30) : this.random.between(48, 110)) * HOUR;
    const id = IDS.fulfillment + this.id();
    const carrier = express ? 'FedEx' : order.lineTotal > 100 ? 'UPS' : 'USPS';
    this.fulfillments.push({ id, order, shippedAt: Math.min(shipped, delivered - HOUR), deliveredAt: delivered, carrier, tracking: `1Z${(id * 7919).toString(36).toUpperCase().padStart(12, '0')}` });
    return delivered;
  }

  private returnItems(customer: Customer, order: OrderPlan, indexes: number[], at: number, reason: () => string, method: RefundMethod, target: boolean): void {
    if (at > this.end()) return;
    const items = indexes.map((i) => order.lines[i]).filter((line): line is LinePlan => line !== undefined);
    const ret: ReturnPlan = {
      id: IDS.return + this.id(),
      order,
      at,
      lines: items.map((line) => ({ line, reason: reason().toLowerCase(), ...this.reasonNote(customer) })),
      exchange: method === 'exchange',
    };
    this.returns.push(ret);
    this.label(`gid://shopify/Return/${ret.id}`, 'return', customer, target);
    const refund: RefundPlan = { id: IDS.refund + this.id(), ret, at: at + this.random.between(2, 6) * DAY, method, transactionId: this.transactionId() };
    if (toSecond(refund.at) > this.end()) return;
    this.refunds.push(refund);
    this.label(`gid://shopify/Refund/${refund.id}`, 'refund', customer, target);
  }

  private chargeback(order: OrderPlan, at: number, reason: DisputePlan['reason']): void {
    if (at > this.end()) return;
    this.disputes.push({ id: IDS.dispute + this.id(), order, at, reason });
  }

  private label(subjectId: string, kind: SubjectKind, customer: Customer, target: boolean): void {
    this.labels.push({ subjectId, kind, customerId: customer.gid, pattern: customer.pattern, target });
  }

  private randomBasket(size: number, maxPrice = Infinity): Purchase[] {
    const products = CATALOG.filter((p) => p.price <= maxPrice && !GIFT_CARD(p));
    return range(size).map(() => this.pick(products));
  }

  private pick(products: readonly Product[]): Purchase {
    const product = this.random.pick(products);
    return { product, variant: this.random.pick(product.variants) };
  }

  /**
   * The customer's free-text note on a returned item: most returns carry one, a real review text
   * (`reasonNotes.ts`) drawn independently of the reason code, as customers' notes often say
   * something else than the code they picked. Half of the serial returners work from one pasted
   * refund script (a refund-service pattern), lightly reworded: the same story from different
   * customers.
   */
  private reasonNote(customer: Customer): { note?: string } {
    const r = this.noteRandom;
    if (customer.pattern === 'serial-returner') {
      let scripted = this.scripted.get(customer.gid);
      if (scripted === undefined) this.scripted.set(customer.gid, (scripted = r.chance(0.5)));
      if (scripted) {
        const state = r.pick(['damaged', 'broken', 'defective']);
        const ask = r.pick(['Please issue a full refund', 'Please process my full refund', 'I expect a full refund']);
        return { note: `Item arrived ${state} and the package looked opened before delivery. ${ask} to my original payment method as soon as possible, I do not want an exchange or store credit.` };
      }
    }
    return r.chance(0.7) ? { note: r.pick(REASON_NOTES) } : {};
  }

  private mixedReason(): string {
    return this.random.weighted(MIXED_REASONS);
  }

  private honestMethod(): RefundMethod {
    return this.random.weighted<RefundMethod>([
      ['original_payment', 70],
      ['store_credit', 20],
      ['exchange', 10],
    ]);
  }

  /** `count` order times spread over the history, after the account exists, sorted. */
  private orderTimes(count: number, customer: Customer): number[] {
    const from = Math.max(this.start, Date.parse(customer.createdAt));
    return range(count)
      .map(() => from + this.random.next() * (this.end() - from - 30 * DAY))
      .filter((t) => t < this.end() - 30 * DAY)
      .sort((a, b) => a - b);
  }

  /** Days (midnight UTC) on the given weekdays, spread over the history. */
  private weekdayTimes(count: number, customer: Customer, weekdays: number[]): number[] {
    return this.orderTimes(count, customer).map((t) => nextWeekday(Math.floor(t / DAY) * DAY, weekdays));
  }

  /**
   * Every body, in time order (a stable sort: an order before its own payment of the same
   * second, a refund before the close it causes). Orders are numbered (`#1001`, …) in time order
   * first, as Shopify numbers them. A fulfilment delivered after the end of the history has no
   * delivery update yet.
   */
  private deliveries(): Delivery[] {
    [...this.orders].sort((a, b) => a.at - b.at || a.id - b.id).forEach((order, i) => (order.number = 1001 + i));
    const out: { at: number; topic: string; body: Record<string, unknown> }[] = [];
    for (const order of this.orders) {
      out.push({ at: order.at, topic: 'orders/create', body: orderBody(order, this.shopDomain) });
      for (const attempt of order.attempts) out.push({ at: attempt.at, topic: 'order_transactions/create', body: transactionBody(attempt, order) });
    }
    for (const f of this.fulfillments) {
      out.push({ at: f.shippedAt, topic: 'fulfillments/create', body: fulfillmentBody(f, false) });
      if (f.deliveredAt <= this.end()) out.push({ at: f.deliveredAt, topic: 'fulfillments/update', body: fulfillmentBody(f, true) });
    }
    for (const ret of this.returns) out.push({ at: ret.at, topic: 'returns/request', body: returnRequestBody(ret) });
    for (const refund of this.refunds) {
      out.push({ at: refund.at, topic: 'refunds/create', body: refundBody(refund) });
      out.push({ at: refund.at, topic: 'returns/close', body: returnCloseBody(refund.ret) });
    }
    for (const dispute of this.disputes) out.push({ at: dispute.at, topic: 'disputes/create', body: disputeBody(dispute) });
    const order = out.map((d, i) => ({ d, i, at: Math.round(d.at / 1000) })).sort((a, b) => a.at - b.at || a.i - b.i);
    return order.map(({ d }) => ({ topic: d.topic, at: iso(d.at), body: d.body }));
  }

  private end(): number {
    return this.start + this.days * DAY;
  }

  private id(): number {
    return this.nextId++;
  }

  private transactionId(): number {
    return IDS.transaction + this.nextTransaction++;
  }
}

/** A time cut to the second, as Shopify's timestamps are. */
function toSecond(time: number): number {
  return Math.round(time / 1000) * 1000;
}

/** A stream seeded by one 16-hex-digit draw (its first 12 digits: a safe integer). */
function seeded(hex: string): Random {
  return new Random(parseInt(hex.slice(0, 12), 16));
}

/**
 * Spreads an order's discount over its lines in proportion to their value, to the cent, the
 * remainder on the last line (Shopify's `discount_allocations`).
 */
function allocate(lines: LinePlan[], discount: number): void {
  if (discount <= 0) return;
  const total = lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
  let left = Math.round(discount * 100);
  lines.forEach((line, i) => {
    const cents = i === lines.length - 1 ? left : Math.round((discount * 100 * line.price * line.quantity) / total);
    line.discount = cents / 100;
    left -= cents;
  });
}

function camel(pattern: Exclude<Pattern, 'fraud-ring' | 'honest-household'>): 'honest' | 'honestHeavyReturner' | 'wardrober' | 'bracketer' | 'serialReturner' | 'doubleDipper' {
  return pattern.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()) as never;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The first midnight (UTC) on or after `time` that falls on one of the weekdays (0 = Sunday). */
function nextWeekday(time: number, weekdays: number[]): number {
  let day = Math.ceil(time / DAY) * DAY;
  while (!weekdays.includes(new Date(day).getUTCDay())) day += DAY;
  return day;
}

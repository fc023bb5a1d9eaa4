import type { HistoryEvent } from '../engine/history/index.ts';
import type {
  ChargebackRecord,
  CustomerSnapshot,
  FulfillmentRecord,
  IdentityHashes,
  LineItem,
  OrderRecord,
  RefundMethod,
  RefundRecord,
  ReturnRecord,
  SubjectKind,
} from '../sdk/index.ts';
import { CATALOG, SIZED, WORN_TYPES, sku, variantId, type Product } from './catalog.ts';
import { Random } from './random.ts';
import { REASON_NOTES } from './reasonNotes.ts';

/**
 * A seeded generator of a realistic shop history with injected, labelled abuse: most customers
 * are honest, some honest customers return a lot (and must not be flagged), and a few follow
 * abuse patterns (wardrobing, bracketing, serial returning, a fraud ring sharing addresses and
 * devices, return-plus-chargeback double dips). The output is normalized history events, the
 * same shape the CLI replays and the server will store, plus one label per scored event.
 */

export type Pattern =
  | 'honest'
  | 'honest-heavy-returner'
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
  events: HistoryEvent[];
  labels: EventLabel[];
}

export interface GenerateOptions {
  seed?: number;
  customers?: number;
  /** First day of the history (ISO date). */
  start?: string;
  days?: number;
}

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

export function generateShop(options: GenerateOptions = {}): GeneratedShop {
  return new ShopGenerator(options).run();
}

interface Purchase {
  product: Product;
  variant: string;
  quantity?: number;
}

class ShopGenerator {
  private readonly random: Random;
  /** Return notes draw from their own stream, so adding them left every other draw as it was. */
  private readonly noteRandom: Random;
  private readonly scripted = new Map<string, boolean>();
  private readonly start: number;
  private readonly days: number;
  private readonly customers: number;
  private readonly events: HistoryEvent[] = [];
  private readonly labels: EventLabel[] = [];
  private nextId = 1;

  constructor(options: GenerateOptions) {
    this.random = new Random(options.seed ?? 7);
    this.noteRandom = new Random((options.seed ?? 7) * 7919 + 101);
    this.start = Date.parse(`${options.start ?? '2025-01-01'}T00:00:00Z`);
    this.days = options.days ?? 365;
    this.customers = options.customers ?? 600;
  }

  run(): GeneratedShop {
    const ringSize = 5;
    const rings = Math.max(1, Math.round(this.customers / 300));
    let n = 0;
    for (let ring = 0; ring < rings; ring++) {
      const shared = { address: this.random.hex(16), device: this.random.hex(16), payment: this.random.hex(16) };
      for (let m = 0; m < ringSize; m++) this.fraudRingMember(++n, shared);
    }
    while (n < this.customers) {
      const pattern = this.random.weighted<Exclude<Pattern, 'fraud-ring'>>([
        ['honest', 80],
        ['honest-heavy-returner', 6],
        ['wardrober', 3.5],
        ['bracketer', 3.5],
        ['serial-returner', 3.5],
        ['double-dipper', 3.5],
      ]);
      this[camel(pattern)](++n);
    }
    return { events: this.events, labels: this.labels };
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
        const count = this.random.int(1, Math.max(1, order.lineItems.length - 1));
        this.returnItems(customer, order, range(count), delivered + this.random.between(5, 21) * DAY, () => this.mixedReason(), this.random.chance(0.4) ? 'exchange' : this.honestMethod(), false);
      }
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
    const pricey = CATALOG.filter((p) => p.price >= 120 && p.productType !== 'Gift card');
    for (const at of this.orderTimes(this.random.int(6, 12), customer)) {
      const basket = [this.pick(pricey), ...this.randomBasket(this.random.int(0, 2))];
      const order = this.order(customer, at, basket);
      const delivered = this.fulfil(order, this.random.chance(0.3));
      if (this.random.chance(0.8)) {
        this.returnItems(customer, order, range(order.lineItems.length), delivered + this.random.between(0.2, 2) * DAY, () => reason, 'original_payment', true);
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
      this.chargeback(order, disputeAt, this.random.pick(['product_not_received', 'fraudulent', 'product_unacceptable']));
      this.returnItems(customer, order, range(order.lineItems.length), disputeAt + this.random.between(2, 8) * DAY, () => 'NOT_AS_DESCRIBED', 'original_payment', true);
    });
  }

  private fraudRingMember(n: number, shared: { address: string; device: string; payment: string }): void {
    const customer = this.customer(n, 'fraud-ring', this.random.between(30, 300), { address: shared.address, device: shared.device, payment: shared.payment });
    const resellable = CATALOG.filter((p) => ['Gift card', 'Watch', 'Sneakers', 'Handbag', 'Jewelry'].includes(p.productType));
    const first = Date.parse(customer.createdAt!) + this.random.between(0.05, 2) * DAY;
    for (let i = 0, at = first; i < this.random.int(1, 3) && at < this.end(); i++, at += this.random.between(3, 20) * DAY) {
      const basket = range(this.random.int(1, 3)).map(() => this.pick(resellable));
      const order = this.order(customer, at, basket, { express: true, disposable: true, ipCountry: this.random.pick(['NG', 'RU', 'VN']), target: true });
      this.fulfil(order, true);
      if (this.random.chance(0.6)) this.chargeback(order, at + this.random.between(20, 60) * DAY, 'fraudulent');
    }
  }

  // ---- building blocks --------------------------------------------------------------------

  private customer(n: number, pattern: Pattern, createdDay: number, sharedIdentity: IdentityHashes = {}): CustomerSnapshot & { pattern: Pattern } {
    const createdAt = iso(this.start + Math.round(createdDay * DAY) + this.random.int(0, 23) * HOUR);
    const identity: IdentityHashes = {
      email: this.random.hex(16),
      phone: this.random.hex(16),
      address: this.random.hex(16),
      ip: this.random.hex(16),
      device: this.random.hex(16),
      payment: this.random.hex(16),
      ...sharedIdentity,
    };
    const customer: CustomerSnapshot = { id: `gid://shopify/Customer/${n}`, createdAt, tags: [], identity };
    this.events.push({ type: 'customer', customer });
    return { ...customer, pattern };
  }

  private order(
    customer: CustomerSnapshot & { pattern: Pattern },
    at: number,
    basket: Purchase[],
    options: { express?: boolean; disposable?: boolean; ipCountry?: string; target?: boolean } = {},
  ): OrderRecord {
    const id = this.id();
    const lineItems: LineItem[] = basket.map(({ product, variant, quantity }, i) => {
      const onSale = this.random.chance(product.onSaleShare);
      const price = onSale ? Math.round(product.price * 0.7) : product.price;
      return {
        id: `gid://shopify/LineItem/${id}${String(i).padStart(2, '0')}`,
        productId: product.id,
        variantId: variantId(product, variant),
        sku: sku(product, variant),
        title: product.title,
        variantTitle: variant,
        productType: product.productType,
        quantity: quantity ?? 1,
        price,
        totalDiscount: 0,
        ...(onSale ? { compareAtPrice: product.price } : {}),
        giftCard: product.productType === 'Gift card',
        requiresShipping: product.productType !== 'Gift card',
      };
    });
    const subtotal = lineItems.reduce((sum, item) => sum + item.price * item.quantity, 0);
    const discountCodes = this.random.chance(0.15) ? ['WELCOME10'] : [];
    const totalDiscounts = discountCodes.length ? Math.round(subtotal * 0.1 * 100) / 100 : 0;
    const shipping = options.express ? 25 : subtotal > 100 ? 0 : 6;
    const country = 'US';
    const order: OrderRecord = {
      id: `gid://shopify/Order/${id}`,
      name: `#${id}`,
      customerId: customer.id,
      createdAt: iso(at),
      currency: 'USD',
      totalPrice: Math.round((subtotal - totalDiscounts + shipping) * 100) / 100,
      subtotalPrice: Math.round((subtotal - totalDiscounts) * 100) / 100,
      totalDiscounts,
      totalShipping: shipping,
      discountCodes,
      financialStatus: 'paid',
      sourceName: 'web',
      gateways: ['shopify_payments'],
      lineItems,
      shippingLines: [{ title: options.express ? 'Express' : 'Standard', price: shipping, speed: options.express ? 'express' : 'standard' }],
      shippingAddress: { countryCode: country, provinceCode: 'NY', postcodePrefix: '100', hash: customer.identity.address },
      billingAddress: { countryCode: country, provinceCode: 'NY', postcodePrefix: '100', hash: customer.identity.address },
      identity: customer.identity,
      emailDomainDisposable: options.disposable ?? false,
      browserIpCountryCode: options.ipCountry ?? country,
      tags: [],
    };
    this.events.push({ type: 'order', order });
    this.label(order.id, 'order', customer, options.target ?? false);
    return order;
  }

  /** Ships the order the next day; returns the delivery time. */
  private fulfil(order: OrderRecord, express: boolean, deliveredAt?: number): number {
    const shipped = Date.parse(order.createdAt) + this.random.between(12, 30) * HOUR;
    const delivered = deliveredAt ?? shipped + (express ? this.random.between(18, 30) : this.random.between(48, 110)) * HOUR;
    const fulfillment: FulfillmentRecord = {
      id: `gid://shopify/Fulfillment/${this.id()}`,
      orderId: order.id,
      createdAt: iso(Math.min(shipped, delivered - HOUR)),
      deliveredAt: iso(delivered),
      status: 'success',
      lineItems: order.lineItems.map((item) => ({ lineItemId: item.id, quantity: item.quantity })),
    };
    this.events.push({ type: 'fulfillment', fulfillment });
    return delivered;
  }

  private returnItems(
    customer: CustomerSnapshot & { pattern: Pattern },
    order: OrderRecord,
    indexes: number[],
    at: number,
    reason: () => string,
    method: RefundMethod,
    target: boolean,
  ): void {
    if (at > this.end()) return;
    const items = indexes.map((i) => order.lineItems[i]).filter(Boolean);
    const ret: ReturnRecord = {
      id: `gid://shopify/Return/${this.id()}`,
      orderId: order.id,
      customerId: customer.id,
      status: 'closed',
      createdAt: iso(at),
      lineItems: items.map((item) => ({ lineItemId: item.id, sku: item.sku, productId: item.productId, variantId: item.variantId, quantity: item.quantity, unitPrice: item.price, reason: reason(), ...this.reasonNote(customer) })),
      exchangeLineItemCount: method === 'exchange' ? items.length : 0,
      totalValue: items.reduce((sum, item) => sum + item.price * item.quantity, 0),
    };
    this.events.push({ type: 'return', return: ret });
    this.label(ret.id, 'return', customer, target);
    const refund: RefundRecord = {
      id: `gid://shopify/Refund/${this.id()}`,
      orderId: order.id,
      returnId: ret.id,
      customerId: customer.id,
      createdAt: iso(at + this.random.between(2, 6) * DAY),
      amount: method === 'exchange' ? 0 : ret.totalValue,
      method,
      lineItems: items.map((item) => ({ lineItemId: item.id, quantity: item.quantity, subtotal: item.price * item.quantity })),
      restock: true,
    };
    if (Date.parse(refund.createdAt) > this.end()) return;
    this.events.push({ type: 'refund', refund });
    this.label(refund.id, 'refund', customer, target);
  }

  private chargeback(order: OrderRecord, at: number, reason: string): void {
    if (at > this.end()) return;
    const chargeback: ChargebackRecord = {
      id: `gid://shopify/ShopifyPaymentsDispute/${this.id()}`,
      orderId: order.id,
      initiatedAt: iso(at),
      amount: order.totalPrice,
      reason,
      status: 'needs_response',
      type: 'chargeback',
    };
    this.events.push({ type: 'chargeback', chargeback });
  }

  private label(subjectId: string, kind: SubjectKind, customer: { id: string; pattern: Pattern }, target: boolean): void {
    this.labels.push({ subjectId, kind, customerId: customer.id, pattern: customer.pattern, target });
  }

  private randomBasket(size: number, maxPrice = Infinity): Purchase[] {
    const products = CATALOG.filter((p) => p.price <= maxPrice && p.productType !== 'Gift card');
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
  private reasonNote(customer: { id: string; pattern: Pattern }): { reasonNote?: string } {
    const r = this.noteRandom;
    if (customer.pattern === 'serial-returner') {
      let scripted = this.scripted.get(customer.id);
      if (scripted === undefined) this.scripted.set(customer.id, (scripted = r.chance(0.5)));
      if (scripted) {
        const state = r.pick(['damaged', 'broken', 'defective']);
        const ask = r.pick(['Please issue a full refund', 'Please process my full refund', 'I expect a full refund']);
        return { reasonNote: `Item arrived ${state} and the package looked opened before delivery. ${ask} to my original payment method as soon as possible, I do not want an exchange or store credit.` };
      }
    }
    return r.chance(0.7) ? { reasonNote: r.pick(REASON_NOTES) } : {};
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
  private orderTimes(count: number, customer: CustomerSnapshot): number[] {
    const from = Math.max(this.start, Date.parse(customer.createdAt!));
    return range(count)
      .map(() => from + this.random.next() * (this.end() - from - 30 * DAY))
      .filter((t) => t < this.end() - 30 * DAY)
      .sort((a, b) => a - b);
  }

  /** Days (midnight UTC) on the given weekdays, spread over the history. */
  private weekdayTimes(count: number, customer: CustomerSnapshot, weekdays: number[]): number[] {
    return this.orderTimes(count, customer).map((t) => nextWeekday(Math.floor(t / DAY) * DAY, weekdays));
  }

  private end(): number {
    return this.start + this.days * DAY;
  }

  private id(): number {
    return 10_000 + this.nextId++;
  }
}

function camel(pattern: Exclude<Pattern, 'fraud-ring'>): 'honest' | 'honestHeavyReturner' | 'wardrober' | 'bracketer' | 'serialReturner' | 'doubleDipper' {
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

function iso(time: number): string {
  return new Date(Math.round(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

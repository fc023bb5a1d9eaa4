import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { HistoryEvent } from '../engine/history/index.ts';
import type { LineItem, OrderRecord, RefundRecord, ReturnRecord } from '../sdk/index.ts';

/**
 * Maps the UCI Online Retail data set (a real UK giftware shop's invoices, 2010-12 to 2011-12;
 * Chen, Sain & Guo 2012, UCI ML Repository, CC BY 4.0) to normalized history events: each
 * invoice is an order; each `C` (cancellation) invoice of a known customer is a return of the
 * items it cancels, linked to that customer's latest earlier purchase of each stock code, plus
 * its refund. Lines without a customer id become guest orders; their cancellations, and
 * cancellations with no earlier purchase to link to, are counted and left out.
 */
export interface UciHistory {
  events: HistoryEvent[];
  stats: { orders: number; returns: number; refunds: number; customers: number; unlinkedCancellations: number; guestCancellations: number };
}

interface Row {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  UnitPrice: string;
  CustomerID: string;
  Country: string;
}

/** The data set's header, in its order. */
export const UCI_COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'] as const;

export async function readUciHistory(path: string): Promise<UciHistory> {
  const invoices = new Map<string, Row[]>();
  const parser = parse({ columns: true, skip_empty_lines: true });
  // A read or gunzip error destroys the parser with it, so the loop below throws it.
  pipeline(createReadStream(path), createGunzip(), parser).catch(() => {});
  let first = true;
  for await (const row of parser as AsyncIterable<Row>) {
    if (first) {
      first = false;
      const missing = UCI_COLUMNS.filter((column) => !(column in row));
      if (missing.length > 0) throw new Error(`the header lacks ${missing.join(', ')} (expected ${UCI_COLUMNS.join(',')})`);
    }
    const list = invoices.get(row.InvoiceNo);
    if (list) list.push(row);
    else invoices.set(row.InvoiceNo, [row]);
  }
  return mapInvoices([...invoices.values()]);
}

function mapInvoices(invoices: Row[][]): UciHistory {
  const stats = { orders: 0, returns: 0, refunds: 0, customers: 0, unlinkedCancellations: 0, guestCancellations: 0 };
  const events: HistoryEvent[] = [];
  const customers = new Set<string>();
  // Latest purchase line per customer and stock code, to link cancellations to their order.
  const purchases = new Map<string, { order: OrderRecord; item: LineItem }>();
  const sorted = invoices.sort((a, b) => toIso(a[0].InvoiceDate).localeCompare(toIso(b[0].InvoiceDate)));
  for (const rows of sorted) {
    const head = rows[0];
    const customerId = head.CustomerID ? `gid://shopify/Customer/${head.CustomerID}` : null;
    const at = toIso(head.InvoiceDate);
    if (head.InvoiceNo.startsWith('C')) {
      if (!customerId) {
        stats.guestCancellations++;
        continue;
      }
      const linked = rows.map((row) => ({ row, purchase: purchases.get(`${customerId}|${row.StockCode}`) })).filter((l) => l.purchase && Date.parse(l.purchase.order.createdAt) < Date.parse(at));
      if (linked.length === 0) {
        stats.unlinkedCancellations++;
        continue;
      }
      // A cancellation invoice may cancel items of several orders: one return per order.
      const byOrder = new Map<string, typeof linked>();
      for (const l of linked) byOrder.set(l.purchase!.order.id, [...(byOrder.get(l.purchase!.order.id) ?? []), l]);
      let part = 0;
      for (const [orderId, lines] of byOrder) {
        const id = `${head.InvoiceNo.slice(1)}${String(part++).padStart(2, '0')}`;
        const ret: ReturnRecord = {
          id: `gid://shopify/Return/${id}`,
          orderId,
          customerId,
          status: 'closed',
          createdAt: at,
          lineItems: lines.map(({ row, purchase }) => ({
            lineItemId: purchase!.item.id,
            sku: row.StockCode,
            quantity: Math.min(Math.abs(Number(row.Quantity)), purchase!.item.quantity),
            unitPrice: Number(row.UnitPrice),
          })),
          exchangeLineItemCount: 0,
          totalValue: 0,
        };
        ret.totalValue = round2(ret.lineItems.reduce((sum, item) => sum + (item.unitPrice ?? 0) * item.quantity, 0));
        const refund: RefundRecord = {
          id: `gid://shopify/Refund/${id}`,
          orderId,
          returnId: ret.id,
          customerId,
          createdAt: at,
          amount: ret.totalValue,
          method: 'original_payment',
          lineItems: ret.lineItems.map((item) => ({ lineItemId: item.lineItemId, quantity: item.quantity, subtotal: round2((item.unitPrice ?? 0) * item.quantity) })),
        };
        events.push({ type: 'return', return: ret }, { type: 'refund', refund });
        stats.returns++;
        stats.refunds++;
      }
      continue;
    }
    const purchaseRows = rows.filter((row) => Number(row.Quantity) > 0 && Number(row.UnitPrice) > 0);
    if (purchaseRows.length === 0) continue;
    const lineItems: LineItem[] = purchaseRows.map((row, i) => ({
      id: `gid://shopify/LineItem/${head.InvoiceNo}${String(i).padStart(3, '0')}`,
      sku: row.StockCode,
      productId: `gid://shopify/Product/${row.StockCode}`,
      title: row.Description,
      quantity: Number(row.Quantity),
      price: Number(row.UnitPrice),
      totalDiscount: 0,
    }));
    const total = round2(lineItems.reduce((sum, item) => sum + item.price * item.quantity, 0));
    const country = countryCode(head.Country);
    const order: OrderRecord = {
      id: `gid://shopify/Order/${head.InvoiceNo}`,
      name: `#${head.InvoiceNo}`,
      customerId,
      createdAt: at,
      currency: 'GBP',
      totalPrice: total,
      subtotalPrice: total,
      totalDiscounts: 0,
      discountCodes: [],
      gateways: ['manual'],
      lineItems,
      shippingLines: [],
      shippingAddress: country ? { countryCode: country } : undefined,
      identity: {},
      tags: [],
    };
    if (customerId && !customers.has(customerId)) {
      customers.add(customerId);
      // The data set has no sign-up dates: the first invoice stands in for the account's start.
      events.push({ type: 'customer', customer: { id: customerId, createdAt: at, tags: [], identity: {} } });
    }
    events.push({ type: 'order', order });
    stats.orders++;
    if (customerId) for (const item of lineItems) purchases.set(`${customerId}|${item.sku}`, { order, item });
  }
  stats.customers = customers.size;
  return { events, stats };
}

/** `2010-12-01 08:26:00` (UK local time) → ISO; treated as UTC, close enough for day-level signals. */
function toIso(date: string): string {
  return `${date.replace(' ', 'T')}Z`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const COUNTRIES: Record<string, string> = {
  'United Kingdom': 'GB', France: 'FR', Germany: 'DE', EIRE: 'IE', Spain: 'ES', Netherlands: 'NL', Belgium: 'BE',
  Switzerland: 'CH', Portugal: 'PT', Australia: 'AU', Norway: 'NO', Italy: 'IT', 'Channel Islands': 'JE', Finland: 'FI',
  Cyprus: 'CY', Sweden: 'SE', Austria: 'AT', Denmark: 'DK', Japan: 'JP', Poland: 'PL', Israel: 'IL', USA: 'US',
  'Hong Kong': 'HK', Singapore: 'SG', Iceland: 'IS', Canada: 'CA', Greece: 'GR', Malta: 'MT', 'United Arab Emirates': 'AE',
  'European Community': 'EU', RSA: 'ZA', Lebanon: 'LB', Lithuania: 'LT', Brazil: 'BR', 'Czech Republic': 'CZ', Bahrain: 'BH', 'Saudi Arabia': 'SA',
};

function countryCode(country: string): string | undefined {
  return COUNTRIES[country];
}

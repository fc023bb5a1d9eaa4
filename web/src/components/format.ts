/** Short, human forms of what the API returns. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The number at the end of a Shopify gid ("gid://shopify/Order/123" → "Order 123"). */
export function gidLabel(gid: string | null): string {
  if (!gid) return '—';
  const match = /gid:\/\/shopify\/(\w+)\/(\d+)/.exec(gid);
  return match ? `${match[1]} ${match[2]}` : gid;
}

export function kindLabel(kind: string): string {
  return kind[0].toUpperCase() + kind.slice(1);
}

/** An amount in the shop's currency as the merchant's browser writes it ("$404.95", "404,95 €"); without a currency, the number alone. */
export function money(amount: number, currency: string | null | undefined): string {
  if (!currency) return amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    // A code Intl does not know: the number and the code.
    return `${amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
}

/** Shopify record kinds in the words a merchant uses. */
const RECORD_WORDS: Record<string, string> = { ShopifyPaymentsDispute: 'chargeback', OrderTransaction: 'transaction', Fulfillment: 'fulfilment', LineItem: 'line item', Order: 'order', Return: 'return', Refund: 'refund', Customer: 'customer', Product: 'product', ProductVariant: 'variant' };

/**
 * Text from the server as the admin shows it: every raw GID put in words ("gid://shopify/Order/12"
 * → "order 12"), and a count written "N thing(s)" (signal messages, some server sentences) in the
 * singular or plural its number asks for ("1 earlier order(s)" → "1 earlier order", "3 card(s)" →
 * "3 cards"; up to two words may stand between the number and the noun).
 */
export function withoutGids(text: string): string {
  return text
    .replace(/gid:\/\/shopify\/(\w+)\/(\d+)/g, (_, type: string, id: string) => `${RECORD_WORDS[type] ?? type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${id}`)
    .replace(/(\d[\d,.]*)((?:\s+[A-Za-z’'-]+){0,2}?)\s+([A-Za-z-]+)\(s\)/g, (_, n: string, between: string, noun: string) => `${n}${between} ${Number(n.replaceAll(',', '')) === 1 ? noun : `${noun}s`}`)
    .replace(/([A-Za-z-]+)\(s\)/g, '$1s');
}

/** "SIZE_TOO_SMALL" → "Size too small" (Shopify's enum values, status words). */
export function enumWords(value: string): string {
  const words = value.replace(/_/g, ' ').toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : words;
}

/** "1 order", "2 orders", "1,204 orders": a count with its noun, singular or plural (never "order(s)"). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** An order as the merchant knows it: its name ("#1001"), else "Order 123" from its GID (never the GID). */
export function orderLabel(name: string | null | undefined, gid: string | null): string {
  return name ?? gidLabel(gid);
}

/** A share as a percentage with one decimal ("12.5%"); "—" without one. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/**
 * How a rate moved, in percentage points ("+1.2 pts", "−0.4 pts", "no change"): a rate going from
 * 10% to 12% rose by 2 points, which its relative change (+20%) would misstate.
 */
export function pointsChange(now: number, before: number): string {
  const diff = Math.round((now - before) * 1000) / 10;
  if (diff === 0) return 'no change';
  return `${diff > 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} pts`;
}

/** A signal's name from the catalog (its title), else its id in words ("custom.big-refund" → "Big refund"). */
export function signalTitle(id: string, catalog: readonly { id: string; title: string }[] | undefined): string {
  const found = catalog?.find((s) => s.id === id);
  if (found) return found.title;
  const words = (id.includes('.') ? id.slice(id.indexOf('.') + 1) : id).replace(/[-_.]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : id;
}

/** `money` without cents, for totals in a headline ("$35,548", "35.548 €"). */
export function wholeMoney(amount: number, currency: string | null | undefined): string {
  if (!currency) return Math.round(amount).toLocaleString();
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(amount);
  } catch {
    return `${Math.round(amount).toLocaleString()} ${currency}`;
  }
}

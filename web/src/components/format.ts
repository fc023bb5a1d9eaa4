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

/** Text from the server with every raw GID put in words ("gid://shopify/Order/12" → "order 12"): the admin shows no raw GID. */
export function withoutGids(text: string): string {
  return text.replace(/gid:\/\/shopify\/(\w+)\/(\d+)/g, (_, type: string, id: string) => `${RECORD_WORDS[type] ?? type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${id}`);
}

/** "SIZE_TOO_SMALL" → "Size too small" (Shopify's enum values, status words). */
export function enumWords(value: string): string {
  const words = value.replace(/_/g, ' ').toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : words;
}

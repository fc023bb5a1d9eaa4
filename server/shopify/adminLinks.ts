/**
 * Links into Shopify admin for a shop's records: `https://admin.shopify.com/store/<store>/orders/<n>`
 * where `<store>` is the shop's myshopify subdomain and `<n>` the number of the record's GID
 * (Shopify admin's own URL form; the legacy `https://<shop>/admin/orders/<n>` redirects to it).
 * Undefined for a GID of another type or a shop domain that is not `*.myshopify.com`.
 */
const PATHS: Record<string, string> = { Order: 'orders', Customer: 'customers', Product: 'products', DraftOrder: 'draft_orders' };

export function shopifyAdminUrl(shop: string, gid: string | null | undefined): string | null {
  const store = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/i.exec(shop)?.[1];
  const match = gid ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid) : null;
  const path = match ? PATHS[match[1]!] : undefined;
  return store && match && path ? `https://admin.shopify.com/store/${store.toLowerCase()}/${path}/${match[2]}` : null;
}

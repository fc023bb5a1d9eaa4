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

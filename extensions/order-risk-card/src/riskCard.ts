import type { OrderRiskCard } from '../../../contract/orders.ts';

export type { OrderRiskCard };

/** The numeric id of an order GID (`gid://shopify/Order/123` → `123`), or undefined. */
export function orderNumber(gid: string | undefined): string | undefined {
  return /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid ?? '')?.[1];
}

/**
 * The card's data from the app's API. Shopify resolves a relative URL against the app's URL and
 * adds the session token (`Authorization`) to fetches an admin extension makes to its app.
 */
export async function fetchRiskCard(orderGid: string, fetchImpl: typeof fetch = fetch): Promise<OrderRiskCard | null> {
  const id = orderNumber(orderGid);
  if (!id) throw new Error(`not an order: ${orderGid}`);
  const response = await fetchImpl(`/api/orders/${id}/risk`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return null;
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `RefundSentry answered ${response.status}`);
  }
  return (await response.json()) as OrderRiskCard;
}

export const ZONE_TONE = { low: 'success', medium: 'warning', high: 'critical' } as const;

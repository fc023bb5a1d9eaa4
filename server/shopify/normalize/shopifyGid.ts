import type { ShopifyId } from '../../../sdk/index.ts';
import type { NumericId } from './schemaParts.ts';

/**
 * Builds a GraphQL id from a REST numeric id. The id must come from `parseWebhookBody`, which
 * keeps unsafe integers as their exact decimal string (FACTS §1).
 */
export function shopifyGid(type: string, id: NumericId): ShopifyId {
  return `gid://shopify/${type}/${String(id)}`;
}

/** The payload's own `admin_graphql_api_id` when present, else one built from the numeric id. */
export function gidOf(type: string, resource: { id?: NumericId | null; admin_graphql_api_id?: string | null }): ShopifyId | undefined {
  if (resource.admin_graphql_api_id) return resource.admin_graphql_api_id;
  return resource.id === undefined || resource.id === null ? undefined : shopifyGid(type, resource.id);
}

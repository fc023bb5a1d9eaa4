import { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import { adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from './shopifyDouble.ts';

/** A suite title that says why the suite is skipped when the Admin schema is not beside the repo. */
export function schemaSuiteTitle(name: string): string {
  return adminSchemaAvailable() ? name : `${name} (SKIPPED: ../shared/shopify/schema/admin_2026-07.graphql not found)`;
}

/** A fresh Shopify double and an Admin API client pointed at it, retrying without waiting. */
export async function startDoubleWithClient(): Promise<{ double: ShopifyDouble; client: AdminGraphqlClient }> {
  const double = await startShopifyDouble();
  const client = new AdminGraphqlClient({ shop: 'example.myshopify.com', accessToken: 'shpat_x', origin: double.origin, sleep: async () => {} });
  return { double, client };
}

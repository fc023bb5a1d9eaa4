/** What each supported topic normalizes to. */
export const TOPIC_KINDS = {
  'orders/create': 'order',
  'orders/updated': 'order',
  'orders/cancelled': 'order',
  // These share the one sample order body with orders/create (FACTS §1).
  'orders/paid': 'order',
  'orders/fulfilled': 'order',
  'orders/partially_fulfilled': 'order',
  'fulfillments/create': 'fulfillment',
  // Assumed to share the fulfillments/create body (no sample); it is the one that reports delivery.
  'fulfillments/update': 'fulfillment',
  'returns/request': 'return',
  'returns/approve': 'return',
  'returns/close': 'return',
  'returns/decline': 'return',
  'returns/cancel': 'return',
  'returns/reopen': 'return',
  'refunds/create': 'refund',
  'disputes/create': 'dispute',
  'disputes/update': 'dispute',
  'order_transactions/create': 'transaction',
  'orders/risk_assessment_changed': 'risk',
  'customers/data_request': 'customers/data_request',
  'customers/redact': 'customers/redact',
  'shop/redact': 'shop/redact',
  'app/uninstalled': 'app/uninstalled',
} as const;

export type SupportedTopic = keyof typeof TOPIC_KINDS;

const BY_ENUM_NAME = new Map<string, SupportedTopic>(
  (Object.keys(TOPIC_KINDS) as SupportedTopic[]).map((topic) => [topic.replace('/', '_'), topic]),
);

/**
 * The `resource/event` form of a topic. The X-Shopify-Topic header sends `orders/create`;
 * shopify-api's `validate` gives `ORDERS_CREATE` (FACTS §5), and splitting that at the first
 * underscore is wrong for topics like `customers/data_request`, so supported topics are
 * looked up. Unsupported topics come back lowercased, unchanged otherwise.
 */
export function canonicalTopic(topic: string): string {
  const lower = topic.trim().toLowerCase();
  if (isSupportedTopic(lower)) return lower;
  return BY_ENUM_NAME.get(lower) ?? lower;
}

export function isSupportedTopic(topic: string): topic is SupportedTopic {
  return Object.hasOwn(TOPIC_KINDS, topic);
}

import type { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { CUSTOMER_TAGS, TAGS_ADD, TAGS_REMOVE } from '../operations.ts';
import { ActionError, describeUserErrors } from './ActionError.ts';
import type { UserError } from './ActionError.ts';

export interface SwapRiskTagInput {
  customerId: string;
  /** The tag to carry, e.g. `refundsentry:high-risk`. */
  tag: string;
  /** Every other tag with this prefix is removed. */
  prefix?: string;
}

export interface SwapRiskTagResult {
  added: string[];
  removed: string[];
  skipped?: 'tag-limit' | 'customer-not-found';
}

interface TagsMutationData {
  node: { id: string; tags?: string[] } | null;
  userErrors: UserError[];
}

/** "A customer can have up to 250 tags. Each tag can have up to 255 characters." (schema, FACTS 4.2) */
export const MAX_CUSTOMER_TAGS = 250;
const MAX_TAG_LENGTH = 255;

/**
 * Makes `tag` the customer's only tag with `prefix`. Shopify compares tags case-insensitively
 * (capture customer-tag-note-limits-parity: "VIP" and "vip" collapse), so this does too. When
 * adding the tag would exceed 250 tags even after the removals, nothing changes.
 */
export async function swapRiskTag(client: AdminGraphqlClient, input: SwapRiskTagInput): Promise<SwapRiskTagResult> {
  const prefix = (input.prefix ?? 'refundsentry:').toLowerCase();
  const tag = input.tag.trim();
  if (tag === '' || tag.length > MAX_TAG_LENGTH || tag.includes(',')) {
    throw new ActionError('swapRiskTag', `invalid tag ${JSON.stringify(input.tag)}: 1 to ${MAX_TAG_LENGTH} characters, no commas`);
  }
  const { data } = await client.request<{ customer: { id: string; tags: string[] } | null }>(CUSTOMER_TAGS, {
    id: input.customerId,
  });
  if (!data.customer) return { added: [], removed: [], skipped: 'customer-not-found' };

  const tags = data.customer.tags;
  const wanted = tag.toLowerCase();
  const stale = tags.filter((t) => t.toLowerCase().startsWith(prefix) && t.toLowerCase() !== wanted);
  const present = tags.some((t) => t.toLowerCase() === wanted);
  if (!present && tags.length - stale.length + 1 > MAX_CUSTOMER_TAGS) {
    return { added: [], removed: [], skipped: 'tag-limit' };
  }

  // Remove first, so a customer at the limit whose only change is the swap has room for the new tag.
  if (stale.length > 0) {
    const outcome = await mutateTags(client, TAGS_REMOVE, 'tagsRemove', input.customerId, stale);
    if (outcome === 'customer-not-found') return { added: [], removed: [], skipped: outcome };
  }
  if (!present) {
    const outcome = await mutateTags(client, TAGS_ADD, 'tagsAdd', input.customerId, [tag]);
    if (outcome === 'customer-not-found') return { added: [], removed: stale, skipped: outcome };
  }
  return { added: present ? [] : [tag], removed: stale };
}

async function mutateTags(
  client: AdminGraphqlClient,
  operation: string,
  root: 'tagsAdd' | 'tagsRemove',
  customerId: string,
  tags: string[],
): Promise<'ok' | 'customer-not-found'> {
  const { data } = await client.request<Record<string, TagsMutationData | null>>(operation, { id: customerId, tags });
  const payload = data[root];
  if (!payload) throw new ActionError('swapRiskTag', `${root} returned no payload for ${customerId}`);
  if (payload.userErrors.length === 0) return 'ok';
  // Capture admin-platform-tags-not-found: an unknown id is a userError on `id`, not a top-level error.
  if (payload.userErrors.some((error) => error.field?.[0] === 'id' && /does not exist/i.test(error.message))) {
    return 'customer-not-found';
  }
  throw new ActionError('swapRiskTag', `${root} failed for ${customerId}: ${describeUserErrors(payload.userErrors)}`, payload.userErrors);
}

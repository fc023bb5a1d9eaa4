import type { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { FULFILLMENT_ORDER_RELEASE_HOLD } from '../operations.ts';
import { ActionError, describeUserErrors } from './ActionError.ts';
import type { UserError } from './ActionError.ts';
import { readFulfillmentOrderHolds } from './fulfillmentOrders.ts';
import type { FulfillmentHoldRef } from './holdFulfillment.ts';

export interface ReleaseHoldsInput {
  holds: FulfillmentHoldRef[];
}

export interface ReleaseHoldsResult {
  /** Hold ids released now. */
  released: string[];
  /** Hold ids no longer among this app's holds on their fulfillment order (already released, or gone). */
  notFound: string[];
}

interface ReleaseHoldData {
  fulfillmentOrderReleaseHold: {
    fulfillmentOrder: { id: string; status: string; fulfillmentHolds: { id: string }[] } | null;
    userErrors: UserError[];
  } | null;
}

/**
 * Releases exactly the given holds. Each call names its hold ids: without `holdIds` Shopify
 * releases every hold on the fulfillment order, other apps' included (FACTS 4.1), so ids that are
 * no longer there are left out and an empty list is never sent.
 */
export async function releaseHolds(client: AdminGraphqlClient, input: ReleaseHoldsInput): Promise<ReleaseHoldsResult> {
  const result: ReleaseHoldsResult = { released: [], notFound: [] };
  for (const [fulfillmentOrderId, holdIds] of groupByFulfillmentOrder(input.holds)) {
    const current = await readFulfillmentOrderHolds(client, fulfillmentOrderId);
    const ours = new Set(current?.fulfillmentHolds.filter((hold) => hold.heldByRequestingApp).map((hold) => hold.id));
    const present = holdIds.filter((id) => ours.has(id));
    result.notFound.push(...holdIds.filter((id) => !ours.has(id)));
    if (present.length === 0) continue;

    const { data } = await client.request<ReleaseHoldData>(FULFILLMENT_ORDER_RELEASE_HOLD, {
      id: fulfillmentOrderId,
      holdIds: present,
    });
    const payload = data.fulfillmentOrderReleaseHold;
    if (!payload) throw new ActionError('releaseHolds', `fulfillmentOrderReleaseHold returned no payload for ${fulfillmentOrderId}`);
    if (payload.userErrors.some((error) => error.code === 'FULFILLMENT_ORDER_NOT_FOUND')) {
      result.notFound.push(...present);
      continue;
    }
    if (payload.userErrors.length > 0) {
      throw new ActionError(
        'releaseHolds',
        `Shopify refused to release holds on ${fulfillmentOrderId}: ${describeUserErrors(payload.userErrors)}`,
        payload.userErrors,
      );
    }
    const kept = new Set(payload.fulfillmentOrder?.fulfillmentHolds.map((hold) => hold.id));
    const stillHeld = present.filter((id) => kept.has(id));
    if (stillHeld.length > 0) {
      throw new ActionError('releaseHolds', `Shopify kept holds ${stillHeld.join(', ')} on ${fulfillmentOrderId}`);
    }
    result.released.push(...present);
  }
  return result;
}

function groupByFulfillmentOrder(holds: FulfillmentHoldRef[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { fulfillmentOrderId, holdId } of holds) {
    const ids = groups.get(fulfillmentOrderId) ?? [];
    if (!ids.includes(holdId)) ids.push(holdId);
    groups.set(fulfillmentOrderId, ids);
  }
  return groups;
}

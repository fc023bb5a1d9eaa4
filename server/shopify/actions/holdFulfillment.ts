import type { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { FULFILLMENT_ORDER_HOLD } from '../operations.ts';
import { ActionError, describeUserErrors } from './ActionError.ts';
import type { UserError } from './ActionError.ts';
import { listOrderFulfillmentOrders, readFulfillmentOrderHolds } from './fulfillmentOrders.ts';
import type { FulfillmentOrderSummary } from './fulfillmentOrders.ts';

export interface HoldFulfillmentInput {
  orderId: string;
  reason: 'HIGH_RISK_OF_FRAUD' | 'OTHER';
  /** Shown to the merchant as the hold's reason notes. */
  note?: string;
  /** Our hold's handle, unique per app and fulfillment order (at most 64 characters). */
  handle?: string;
}

export interface FulfillmentHoldRef {
  fulfillmentOrderId: string;
  holdId: string;
}

export interface HoldFulfillmentResult {
  /** Our hold on each open fulfillment order; `existing` when it was already there. */
  holds: (FulfillmentHoldRef & { existing?: true })[];
  /** Open fulfillment orders Shopify would not hold, and why. */
  notHeld: { fulfillmentOrderId: string; reason: 'hold-limit-reached' | 'fulfillment-order-not-found' }[];
  skipped?: 'no-open-fulfillment-orders' | 'order-not-found';
}

interface FulfillmentOrderHoldData {
  fulfillmentOrderHold: {
    fulfillmentHold: { id: string; handle: string | null } | null;
    fulfillmentOrder: { id: string; status: string } | null;
    userErrors: UserError[];
  } | null;
}

/** Fulfillment orders that can still ship, so a hold matters. ON_HOLD ones take more holds. */
const HOLDABLE_STATUSES = new Set(['OPEN', 'SCHEDULED', 'ON_HOLD']);
const MAX_HANDLE_LENGTH = 64;

/**
 * Puts our hold on every open fulfillment order of an order. Idempotent: a fulfillment order that
 * already carries a hold with our handle, placed by this app, is reported as held, not held twice.
 */
export async function holdFulfillment(
  client: AdminGraphqlClient,
  input: HoldFulfillmentInput,
): Promise<HoldFulfillmentResult> {
  const handle = input.handle ?? 'refundsentry';
  if (handle === '' || handle.length > MAX_HANDLE_LENGTH) {
    throw new ActionError('holdFulfillment', `the hold handle must have 1 to ${MAX_HANDLE_LENGTH} characters, got ${handle.length}`);
  }
  const fulfillmentOrders = await listOrderFulfillmentOrders(client, input.orderId);
  if (fulfillmentOrders === null) return { holds: [], notHeld: [], skipped: 'order-not-found' };
  const holdable = fulfillmentOrders.filter((fo) => HOLDABLE_STATUSES.has(fo.status));
  if (holdable.length === 0) return { holds: [], notHeld: [], skipped: 'no-open-fulfillment-orders' };

  const result: HoldFulfillmentResult = { holds: [], notHeld: [] };
  for (const fulfillmentOrder of holdable) {
    const existing = ourHold(fulfillmentOrder, handle);
    if (existing) {
      result.holds.push({ fulfillmentOrderId: fulfillmentOrder.id, holdId: existing, existing: true });
      continue;
    }
    await holdOne(client, fulfillmentOrder.id, input, handle, result);
  }
  return result;
}

async function holdOne(
  client: AdminGraphqlClient,
  fulfillmentOrderId: string,
  input: HoldFulfillmentInput,
  handle: string,
  result: HoldFulfillmentResult,
): Promise<void> {
  const { data } = await client.request<FulfillmentOrderHoldData>(FULFILLMENT_ORDER_HOLD, {
    id: fulfillmentOrderId,
    fulfillmentHold: { reason: input.reason, reasonNotes: input.note ?? null, handle, notifyMerchant: false },
  });
  const payload = data.fulfillmentOrderHold;
  if (!payload) throw new ActionError('holdFulfillment', `fulfillmentOrderHold returned no payload for ${fulfillmentOrderId}`);
  if (payload.userErrors.length === 0 && payload.fulfillmentHold) {
    result.holds.push({ fulfillmentOrderId, holdId: payload.fulfillmentHold.id });
    return;
  }
  const codes = new Set(payload.userErrors.map((error) => error.code));
  if (codes.has('DUPLICATE_FULFILLMENT_HOLD_HANDLE')) {
    // Our handle appeared since we listed the holds (a concurrent run): report that hold.
    const current = await readFulfillmentOrderHolds(client, fulfillmentOrderId);
    const holdId = current && ourHold(current, handle);
    if (holdId) {
      result.holds.push({ fulfillmentOrderId, holdId, existing: true });
      return;
    }
  } else if (codes.has('FULFILLMENT_ORDER_HOLD_LIMIT_REACHED')) {
    // Capture fulfillment-order-hold-validation: this app already has 10 holds on it, so it cannot ship anyway.
    result.notHeld.push({ fulfillmentOrderId, reason: 'hold-limit-reached' });
    return;
  } else if (codes.has('FULFILLMENT_ORDER_NOT_FOUND')) {
    result.notHeld.push({ fulfillmentOrderId, reason: 'fulfillment-order-not-found' });
    return;
  }
  throw new ActionError(
    'holdFulfillment',
    `Shopify refused to hold ${fulfillmentOrderId}: ${describeUserErrors(payload.userErrors) || 'no hold returned'}`,
    payload.userErrors,
  );
}

function ourHold(fulfillmentOrder: FulfillmentOrderSummary, handle: string): string | undefined {
  return fulfillmentOrder.fulfillmentHolds.find((hold) => hold.heldByRequestingApp && hold.handle === handle)?.id;
}

import type { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { stringifyJson } from '../losslessJson.ts';
import { FLOW_TRIGGER_RECEIVE } from '../operations.ts';
import { ActionError, describeUserErrors } from './ActionError.ts';
import type { UserError } from './ActionError.ts';

export interface TriggerFlowInput {
  handle: string;
  payload: Record<string, unknown>;
}

export interface TriggerFlowResult {
  handle: string;
  /** Size of the payload's JSON in bytes. */
  bytes: number;
}

/**
 * Shopify refuses a payload whose JSON exceeds 50,000 bytes: exactly 50,000 passed and 50,001 got
 * "Properties size exceeds the limit of 50000 bytes." (capture flow-trigger-receive-property-size-boundary).
 */
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

/** Fires one of our Flow triggers. Unknown handles and schema errors become ActionErrors. */
export async function triggerFlow(client: AdminGraphqlClient, input: TriggerFlowInput): Promise<TriggerFlowResult> {
  const bytes = Buffer.byteLength(stringifyJson(input.payload), 'utf8');
  if (bytes > FLOW_PAYLOAD_LIMIT_BYTES) {
    throw new ActionError(
      'triggerFlow',
      `the payload for Flow trigger '${input.handle}' is ${bytes} bytes of JSON; Shopify accepts at most ${FLOW_PAYLOAD_LIMIT_BYTES}`,
    );
  }
  const { data } = await client.request<{ flowTriggerReceive: { userErrors: UserError[] } | null }>(FLOW_TRIGGER_RECEIVE, {
    handle: input.handle,
    payload: input.payload,
  });
  const payload = data.flowTriggerReceive;
  if (!payload) throw new ActionError('triggerFlow', `flowTriggerReceive returned no payload for '${input.handle}'`);
  if (payload.userErrors.length > 0) {
    // All Flow validation errors arrive as userErrors on `body` with one message (FACTS 4.4).
    throw new ActionError(
      'triggerFlow',
      `Shopify refused Flow trigger '${input.handle}': ${describeUserErrors(payload.userErrors)}`,
      payload.userErrors,
    );
  }
  return { handle: input.handle, bytes };
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaSuiteTitle, startDoubleWithClient } from '../../testing/doubleClient.ts';
import { adminSchemaAvailable } from '../../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { flowPayload } from '../flowTriggers.ts';
import { testDecision } from '../../testing/testDecision.ts';
import { ActionError } from './ActionError.ts';
import { triggerFlow } from './triggerFlow.ts';

const title = schemaSuiteTitle('triggerFlow');

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let client: AdminGraphqlClient;

  beforeEach(async () => {
    ({ double, client } = await startDoubleWithClient());
    double.state.flowTriggerHandles.add('high-risk-order');
  });
  afterEach(() => double.close());

  async function rejection(promise: Promise<unknown>): Promise<ActionError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }

  it('fires a known trigger with handle and payload', async () => {
    const payload = flowPayload('high-risk-order', testDecision([['velocity.returns-30d', 40], ['order.address-mismatch', 30]]), {
      orderId: 'gid://shopify/Order/4783296544821',
    });
    const result = await triggerFlow(client, { handle: 'high-risk-order', payload });
    expect(result.handle).toBe('high-risk-order');
    expect(double.state.flowTriggers).toEqual([
      {
        handle: 'high-risk-order',
        payload: { order_id: 4783296544821, 'Risk score': 70, 'Risk zone': 'high', 'Top signals': 'velocity.returns-30d (+40), order.address-mismatch (+30)' },
      },
    ]);
    expect(double.requests[0].operationName).toBe('FlowTriggerReceive');
  });

  it('sends an order id beyond 2^53 as an exact number', async () => {
    const payload = flowPayload('high-risk-order', testDecision([['x', 70]]), { orderId: 'gid://shopify/Order/820982911946154508' });
    await triggerFlow(client, { handle: 'high-risk-order', payload });
    const sent = double.state.flowTriggers[0].payload as Record<string, unknown>;
    expect(String(sent.order_id)).toBe('820982911946154508');
  });

  it('accepts exactly 50,000 bytes of JSON and refuses one byte more before sending', async () => {
    const atLimit = { value: 'x'.repeat(50_000 - '{"value":""}'.length) };
    expect((await triggerFlow(client, { handle: 'high-risk-order', payload: atLimit })).bytes).toBe(50_000);

    const over = { value: `${atLimit.value}x` };
    const error = await rejection(triggerFlow(client, { handle: 'high-risk-order', payload: over }));
    expect(error.message).toContain('50001 bytes');
    expect(double.requests).toHaveLength(1);
  });

  it('counts bytes, not characters', async () => {
    // 25,000 two-byte characters: 50,012 bytes but only 25,012 UTF-16 units; the guard counts bytes too.
    const payload = { value: 'é'.repeat(25_000) };
    const error = await rejection(triggerFlow(client, { handle: 'high-risk-order', payload }));
    expect(error.message).toContain('50012 bytes');
  });

  it('maps an unknown handle to an ActionError with Shopify’s message', async () => {
    const error = await rejection(triggerFlow(client, { handle: 'missing-flow-trigger-handle', payload: {} }));
    expect(error.message).toBe("triggerFlow: Shopify refused Flow trigger 'missing-flow-trigger-handle': Errors validating schema: Invalid handle 'missing-flow-trigger-handle'. (body)");
    expect(error.userErrors).toEqual([{ field: ['body'], message: "Errors validating schema:\n  Invalid handle 'missing-flow-trigger-handle'.\n" }]);
  });
});

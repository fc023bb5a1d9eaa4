import { describe, expect, it } from 'vitest';
import type { DeliveryVerdict, OrderDelivery } from '../store/DeliveryStore.ts';
import { OrderIntake, type OrderSubmission } from './OrderIntake.ts';

/**
 * OrderIntake's scheduling, with a store whose writes end when the test says so (the statement
 * itself, dedupe and all, runs against PostgreSQL in routes/webhooks/index.test.ts).
 */
function harness() {
  const writes: { ids: string[]; finish(): void }[] = [];
  const intake = new OrderIntake({
    recordOrders: (items: readonly OrderDelivery[]) =>
      new Promise<DeliveryVerdict[]>((resolve) => {
        writes.push({ ids: items.map((item) => item.delivery.webhookId), finish: () => resolve(items.map(() => 'new')) });
      }),
    sendScores: async () => {},
    onEnqueueFailed: () => {},
  });
  return { intake, writes };
}

function submission(webhookId: string, customer: string | null, resourceId = `gid://shopify/Order/${webhookId}`): OrderSubmission {
  return {
    delivery: { shopId: 'a.myshopify.com', webhookId, topic: 'orders/create', eventId: `event-${webhookId}`, resourceId, triggeredAt: null },
    customer: customer ? { id: customer, tags: [], identity: {} } : null,
    events: [],
    score: { shopId: 'a.myshopify.com', kind: 'order', subjectId: resourceId },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('OrderIntake', () => {
  it('writes a second batch while the first is in flight, and a third only once one of them ends', async () => {
    const { intake, writes } = harness();
    const first = intake.submit(submission('w1', 'c1'));
    await turn();
    const second = [intake.submit(submission('w2', 'c2')), intake.submit(submission('w3', 'c3'))];
    await turn();
    expect(writes.map((w) => w.ids)).toEqual([['w1'], ['w2', 'w3']]);
    const third = intake.submit(submission('w4', 'c4'));
    await turn();
    expect(writes).toHaveLength(2);
    writes[0]!.finish();
    expect(await first).toBe('new');
    await turn();
    expect(writes.map((w) => w.ids)).toEqual([['w1'], ['w2', 'w3'], ['w4']]);
    writes[1]!.finish();
    writes[2]!.finish();
    expect(await Promise.all([...second, third])).toEqual(['new', 'new', 'new']);
    expect(intake.stats).toMatchObject({ batches: 3, deliveries: 4 });
  });

  it('never writes the same customer, webhook id or business effect in two batches at once', async () => {
    const { intake, writes } = harness();
    const submitted = [intake.submit(submission('w1', 'c1')), intake.submit(submission('w2', 'c1'))];
    await turn();
    // Two orders of one customer may share a batch (the statement writes the customer once).
    expect(writes.map((w) => w.ids)).toEqual([['w1', 'w2']]);
    submitted.push(
      intake.submit(submission('w3', 'c1')), // the customer is being written
      intake.submit(submission('w1', 'c9')), // a redelivery of a webhook being written
      intake.submit(submission('w5', null)), // a guest order
      intake.submit(submission('w6', 'c6')),
    );
    await turn();
    // Only what shares nothing with the batch in flight goes now.
    expect(writes[1]!.ids).toEqual(['w5', 'w6']);
    writes[0]!.finish();
    await turn();
    expect(writes[2]!.ids).toEqual(['w3', 'w1']);
    writes[1]!.finish();
    writes[2]!.finish();
    await Promise.all(submitted);
  });

  it('holds back a delivery of the same effect (topic, event id, resource) as one in flight', async () => {
    const { intake, writes } = harness();
    const original = submission('w1', 'c1');
    const retried = { ...original, delivery: { ...original.delivery, webhookId: 'w1-again' }, customer: null };
    const submitted = [intake.submit(original)];
    await turn();
    submitted.push(intake.submit(retried), intake.submit(submission('w2', 'c2')));
    await turn();
    expect(writes.map((w) => w.ids)).toEqual([['w1'], ['w2']]);
    writes[0]!.finish();
    await turn();
    expect(writes[2]!.ids).toEqual(['w1-again']);
    writes[1]!.finish();
    writes[2]!.finish();
    await Promise.all(submitted);
  });
});

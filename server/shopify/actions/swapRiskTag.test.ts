import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaSuiteTitle, startDoubleWithClient } from '../../testing/doubleClient.ts';
import { adminSchemaAvailable } from '../../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { ActionError } from './ActionError.ts';
import { swapRiskTag } from './swapRiskTag.ts';

const title = schemaSuiteTitle('swapRiskTag');

const CUSTOMER = 'gid://shopify/Customer/10586359431474';

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let client: AdminGraphqlClient;

  beforeEach(async () => {
    ({ double, client } = await startDoubleWithClient());
  });
  afterEach(() => double.close());

  const operations = () => double.requests.map((request) => request.operationName);
  const tags = () => double.state.customers.get(CUSTOMER)!.tags;

  it('removes the old refundsentry tag, adds the new one and keeps the others', async () => {
    double.state.addCustomer({ id: CUSTOMER, tags: ['vip', 'refundsentry:low-risk', 'wholesale'] });
    const result = await swapRiskTag(client, { customerId: CUSTOMER, tag: 'refundsentry:high-risk' });
    expect(result).toEqual({ added: ['refundsentry:high-risk'], removed: ['refundsentry:low-risk'] });
    expect(tags()).toEqual(['refundsentry:high-risk', 'vip', 'wholesale']);
    expect(operations()).toEqual(['CustomerTags', 'TagsRemove', 'TagsAdd']);
  });

  it('does nothing when the tag is already there (compared case-insensitively, like Shopify)', async () => {
    double.state.addCustomer({ id: CUSTOMER, tags: ['RefundSentry:High-Risk', 'vip'] });
    expect(await swapRiskTag(client, { customerId: CUSTOMER, tag: 'refundsentry:high-risk' })).toEqual({ added: [], removed: [] });
    expect(operations()).toEqual(['CustomerTags']);
  });

  it('skips when adding would exceed 250 tags', async () => {
    const full = Array.from({ length: 250 }, (_, i) => `t${i}`);
    double.state.addCustomer({ id: CUSTOMER, tags: full });
    expect(await swapRiskTag(client, { customerId: CUSTOMER, tag: 'refundsentry:high-risk' })).toEqual({ added: [], removed: [], skipped: 'tag-limit' });
    expect(tags()).toHaveLength(250);
    expect(operations()).toEqual(['CustomerTags']);
  });

  it('swaps at the limit when a stale risk tag makes room', async () => {
    const full = [...Array.from({ length: 249 }, (_, i) => `t${i}`), 'refundsentry:medium-risk'];
    double.state.addCustomer({ id: CUSTOMER, tags: full });
    const result = await swapRiskTag(client, { customerId: CUSTOMER, tag: 'refundsentry:high-risk' });
    expect(result).toEqual({ added: ['refundsentry:high-risk'], removed: ['refundsentry:medium-risk'] });
    expect(tags()).toHaveLength(250);
  });

  it('skips an unknown customer', async () => {
    expect(await swapRiskTag(client, { customerId: 'gid://shopify/Customer/999999999999999', tag: 'refundsentry:high-risk' })).toEqual({
      added: [],
      removed: [],
      skipped: 'customer-not-found',
    });
  });

  it('treats "Customer does not exist" from tagsAdd (capture tags-not-found) as customer-not-found', async () => {
    // The customer is read, then deleted before tagsAdd runs.
    double.respondNext({ status: 200, body: JSON.stringify({ data: { customer: { id: CUSTOMER, tags: [] } } }) });
    expect(await swapRiskTag(client, { customerId: CUSTOMER, tag: 'refundsentry:high-risk' })).toEqual({
      added: [],
      removed: [],
      skipped: 'customer-not-found',
    });
    expect(operations()).toEqual(['CustomerTags', 'TagsAdd']);
  });

  it('honours a custom prefix and refuses tags Shopify would split', async () => {
    double.state.addCustomer({ id: CUSTOMER, tags: ['rs/low', 'refundsentry:low-risk'] });
    expect(await swapRiskTag(client, { customerId: CUSTOMER, tag: 'rs/high', prefix: 'rs/' })).toEqual({ added: ['rs/high'], removed: ['rs/low'] });
    expect(tags()).toEqual(['refundsentry:low-risk', 'rs/high']);
    await expect(swapRiskTag(client, { customerId: CUSTOMER, tag: 'a,b' })).rejects.toThrow(ActionError);
  });
});

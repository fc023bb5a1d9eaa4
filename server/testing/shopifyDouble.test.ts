import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSchemaAvailable, startShopifyDouble } from './shopifyDouble.ts';
import type { ShopifyDouble } from './shopifyDouble.ts';

const title = adminSchemaAvailable()
  ? 'Shopify Admin API double'
  : 'Shopify Admin API double (SKIPPED: ../shared/shopify/schema/admin_2026-07.graphql not found)';

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  beforeEach(async () => {
    double = await startShopifyDouble({ accessToken: 'shpat_test' });
  });
  afterEach(() => double.close());

  async function post(query: string, variables: object = {}, token: string | null = 'shpat_test') {
    const response = await fetch(`${double.origin}/admin/api/2026-07/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Shopify-Access-Token': token } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body: any = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, body };
  }

  it('answers a valid query with the selected fields and a cost extension', async () => {
    double.state.addCustomer({ id: 'gid://shopify/Customer/1', tags: ['vip'] });
    const { status, body } = await post('query Tags($id: ID!) { customer(id: $id) { tags } }', { id: 'gid://shopify/Customer/1' });
    expect(status).toBe(200);
    expect(body.data).toEqual({ customer: { tags: ['vip'] } });
    expect(body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    expect(double.requests.at(-1)).toMatchObject({ operationName: 'Tags', rootFields: ['customer'], variables: { id: 'gid://shopify/Customer/1' } });
  });

  it('refuses an invalid document the way Shopify does: HTTP 200, errors, no data', async () => {
    const { status, body } = await post(
      'mutation Release($id: ID!, $h: ID!) { fulfillmentOrderReleaseHold(id: $id, holdId: $h) { userErrors { message } } }',
      { id: 'gid://shopify/FulfillmentOrder/1', h: 'gid://shopify/FulfillmentHold/1' },
    );
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: "Field 'fulfillmentOrderReleaseHold' doesn't accept argument 'holdId'",
      extensions: { code: 'argumentNotAccepted', argumentName: 'holdId' },
    });
    expect(double.requests.at(-1)!.outcome).toBe('invalid');
  });

  it('words unknown fields, missing selections, syntax errors and missing variables like the capture', async () => {
    const unknown = await post('query GraphqlBaseValidationUnknownOrderField {\n  orders(first: 1) {\n    nodes {\n      id\n      definitelyNotAnOrderField\n    }\n  }\n}\n');
    expect(unknown.body.errors).toEqual([
      {
        message: "Field 'definitelyNotAnOrderField' doesn't exist on type 'Order'",
        locations: [{ line: 5, column: 7 }],
        path: ['query GraphqlBaseValidationUnknownOrderField', 'orders', 'nodes', 'definitelyNotAnOrderField'],
        extensions: { code: 'undefinedField', typeName: 'Order', fieldName: 'definitelyNotAnOrderField' },
      },
    ]);
    const selections = await post('query GraphqlBaseValidationMissingSubselection {\n  shop\n}\n');
    expect(selections.body.errors[0]).toMatchObject({
      message: "Field must have selections (field 'shop' returns Shop but has no selections. Did you mean 'shop { ... }'?)",
      path: ['query GraphqlBaseValidationMissingSubselection', 'shop'],
      extensions: { code: 'selectionMismatch', nodeName: "field 'shop'", typeName: 'Shop' },
    });
    const syntax = await post('query GraphqlBaseValidationInvalidSyntax {\n  shop {\n    id\n');
    expect(syntax.body.errors[0].extensions).toEqual({ code: 'PARSE_ERROR' });
    expect(syntax.body.errors[0].message).toMatch(/^syntax error, /);
    const variable = await post(
      'mutation M($product: ProductCreateInput!) {\n  productCreate(product: $product) { product { id } }\n}\n',
    );
    expect(variable.body.errors[0]).toMatchObject({
      message: 'Variable $product of type ProductCreateInput! was provided invalid value',
      extensions: { code: 'INVALID_VARIABLE', value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
    });
  });

  it("releases every hold, other apps' included, when holdIds is omitted (why the app always passes it)", async () => {
    double.state.addOrder({
      id: 'gid://shopify/Order/1',
      fulfillmentOrders: [{ id: 'gid://shopify/FulfillmentOrder/1', holds: [{ handle: 'ours' }, { handle: 'theirs', heldByRequestingApp: false }] }],
    });
    const { body } = await post(
      'mutation R($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { fulfillmentOrder { status fulfillmentHolds { id } } userErrors { code } } }',
      { id: 'gid://shopify/FulfillmentOrder/1' },
    );
    expect(body.data.fulfillmentOrderReleaseHold).toEqual({ fulfillmentOrder: { status: 'OPEN', fulfillmentHolds: [] }, userErrors: [] });
  });

  it('requires the access token', async () => {
    expect((await post('{ shop { id } }', {}, null)).status).toBe(401);
    expect((await post('{ shop { id } }', {}, 'shpat_other')).status).toBe(401);
  });

  it('says which valid operations it does not implement', async () => {
    const { body } = await post('{ shop { id } }');
    expect(body.errors[0].extensions.code).toBe('NOT_IMPLEMENTED_IN_DOUBLE');
  });

  it('throttles the next requests on demand', async () => {
    double.throttleNext(1, 'throttled-200', { requestedQueryCost: 752, currentlyAvailable: 666 });
    const throttled = await post('{ customer(id: "gid://shopify/Customer/1") { id } }');
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors[0]).toMatchObject({ message: 'Throttled', extensions: { code: 'THROTTLED' } });
    expect(throttled.body.extensions.cost).toMatchObject({ requestedQueryCost: 752, actualQueryCost: null, throttleStatus: { currentlyAvailable: 666 } });
    double.throttleNext(1, '429');
    const limited = await fetch(`${double.origin}/admin/api/2026-07/graphql.json`, {
      method: 'POST',
      headers: { 'X-Shopify-Access-Token': 'shpat_test' },
      body: JSON.stringify({ query: '{ customer(id: "gid://shopify/Customer/1") { id } }' }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await limited.text();
    double.throttleNext(1, '503');
    expect((await post('{ customer(id: "gid://shopify/Customer/1") { id } }')).status).toBe(503);
    expect((await post('{ customer(id: "gid://shopify/Customer/1") { id } }')).status).toBe(200);
  });

  it('replaces pending failures on each throttleNext call; 0 stops them', async () => {
    double.throttleNext(5, '503');
    double.throttleNext(0, '503');
    expect((await post('{ customer(id: "gid://shopify/Customer/1") { id } }')).status).toBe(200);
  });
});

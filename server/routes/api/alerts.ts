import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { ALERT_KINDS } from '../../services/AlertService.ts';
import { limit, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { AlertDeliveryList, AlertRule, AlertRuleCreated, AlertRuleDeleted, AlertRuleList, AlertRuleUpdate, NewAlertRule, Sendable } from '../../../contract/index.ts';

const rulePayload = object(
  {
    kind: { enum: [...ALERT_KINDS] },
    minValue: { type: 'number', minimum: 0, maximum: 1e12 },
    threshold: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    url: text(2048, 1),
    email: text(254, 3),
  },
  ['kind'],
);

/** `enabled` exactly true or false (an enum, so the API's type coercion never turns null, 0 or "false" into a boolean). */
const updatePayload = object({ enabled: { enum: [true, false] } }, ['enabled']);
const ruleParams = schema(object({ id: ROW_ID }, ['id']), 'params');

/** Alert rules (a HIGH order at or above a value, a ring alert, chargebacks this week, a SKU's return rate → a signed webhook or an email), turned on and off, and their delivery log. */
export function alertRoutes(deps: ApiDeps): ServerRoute[] {
  const { alerts } = deps;
  return [
    {
      method: 'GET',
      path: '/api/alerts',
      handler: async (request) => ({ rules: await alerts.rules(shopOf(request).shop) }) satisfies Sendable<AlertRuleList>,
    },
    {
      method: 'POST',
      path: '/api/alerts',
      options: { validate: { payload: schema(rulePayload, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        return h.response((await alerts.addRule(shop, user, request.payload as NewAlertRule)) satisfies Sendable<AlertRuleCreated>).code(201);
      },
    },
    {
      method: 'PATCH',
      path: '/api/alerts/{id}',
      options: { validate: { params: ruleParams, payload: schema(updatePayload, 'payload') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { enabled } = request.payload as AlertRuleUpdate;
        const rule = await alerts.setEnabled(shop, user, (request.params as { id: string }).id, enabled);
        if (!rule) throw Boom.notFound('No such alert rule in this shop');
        return rule satisfies Sendable<AlertRule>;
      },
    },
    {
      method: 'DELETE',
      path: '/api/alerts/{id}',
      options: { validate: { params: ruleParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        if (!(await alerts.deleteRule(shop, user, id))) throw Boom.notFound('No such alert rule in this shop');
        return { deleted: id } satisfies AlertRuleDeleted;
      },
    },
    {
      method: 'GET',
      path: '/api/alerts/deliveries',
      options: { validate: { query: schema(object({ limit: limit(500, 100), ruleId: ROW_ID }), 'query') } },
      handler: async (request) => {
        const query = request.query as unknown as { limit: number; ruleId?: string };
        return { deliveries: await alerts.deliveries(shopOf(request).shop, { limit: query.limit, ...(query.ruleId ? { ruleId: query.ruleId } : {}) }) } satisfies Sendable<AlertDeliveryList>;
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import type { Decision } from '../../../engine/index.ts';
import type { SubjectKind } from '../../../sdk/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { DecisionRow } from '../../store/index.ts';
import { gid, INSTANT, limit, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import { revisionHistory } from '../../services/revisionHistory.ts';
import { signalNames, subjectFacts } from '../../services/decisionFacts.ts';
import { recommendation } from '../../services/OrderRiskCard.ts';
import { shopifyAdminUrl } from '../../shopify/adminLinks.ts';
import type { ApiDeps } from './context.ts';
import type { DecisionDetail, DecisionList, DecisionSummary, OutcomeAnswer, OutcomeRequest, Sendable } from '../../../contract/index.ts';

const listQuery = object({
  zone: { enum: ['low', 'medium', 'high'] },
  kind: { enum: ['order', 'return', 'refund'] },
  from: INSTANT,
  to: INSTANT,
  customerId: gid('Customer'),
  limit: limit(200, 50),
  before: ROW_ID,
});
const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');

/** The order a decision is about: its own subject for an order, else the return's or refund's order. */
const orderOf = (row: DecisionRow) => row.order_id ?? (row.subject_kind === 'order' ? row.subject_id : null);

/** The names of the orders of these decisions (`summarize`'s second argument). */
export function orderNamesOf(deps: ApiDeps, shop: string, rows: readonly DecisionRow[]): Promise<Map<string, string>> {
  return deps.stores.events.orderNames(shop, rows.flatMap((row) => orderOf(row) ?? []));
}

/** The list form of a decision: enough for a table row, with the top 3 signals by points and its order's name (from `orderNamesOf`). */
export function summarize(row: DecisionRow, orderNames: ReadonlyMap<string, string>) {
  const trace = row.trace as Decision;
  const top = trace.signals
    .filter((s) => s.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3)
    .map((s) => ({ id: s.id, points: s.points, message: s.message }));
  return {
    id: row.id,
    kind: row.subject_kind,
    subjectId: row.subject_id,
    orderId: row.order_id,
    orderName: orderNames.get(orderOf(row) ?? '') ?? null,
    customerId: row.customer_id,
    score: Number(row.score),
    zone: row.zone,
    decidedAt: row.decided_at,
    ruleset: { id: row.ruleset_id, version: row.ruleset_version },
    topSignals: top,
    insufficient: trace.coverage.insufficient,
    errors: trace.coverage.error,
    holdout: row.holdout === true,
    revision: row.revision ?? 0,
  } satisfies Sendable<DecisionSummary>;
}

export function decisionRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/decisions',
      options: { validate: { query: schema(listQuery, 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const query = request.query as unknown as { zone?: 'low' | 'medium' | 'high'; kind?: string; from?: string; to?: string; customerId?: string; limit: number; before?: string };
        const rows = await deps.stores.decisions.list(shop, query);
        const names = await orderNamesOf(deps, shop, rows);
        return {
          decisions: rows.map((row) => summarize(row, names)),
          next: rows.length === query.limit ? rows[rows.length - 1].id : null,
          counts: await deps.stores.decisions.countsByZone(shop),
        } satisfies Sendable<DecisionList>;
      },
    },
    {
      method: 'GET',
      path: '/api/decisions/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const row = await deps.stores.decisions.get(shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such decision in this shop');
        const [actions, outcomes, risk, superseded, facts, ruleset, orderNames] = await Promise.all([
          deps.stores.actions.forDecision(shop, row.id),
          deps.stores.outcomes.forSubject(shop, row.subject_id),
          deps.calibrations.riskOf(shop, { version: row.ruleset_version, kind: row.subject_kind as SubjectKind, score: Number(row.score) }),
          deps.stores.decisions.revisionsOf(shop, row.id),
          subjectFacts(deps.stores, shop, row),
          deps.stores.rulesets.get(shop, row.ruleset_version),
          orderNamesOf(deps, shop, [row]),
        ]);
        // The hold RefundSentry placed on the order, as it stands (the latest one not skipped).
        const hold = actions.filter((a) => a.type === 'fulfillment.hold' && a.status !== 'skipped').at(-1) ?? null;
        const trace = row.trace as Decision;
        const names = signalNames(deps.registry, ruleset?.body, [...trace.signals, ...superseded.flatMap((r) => r.trace.signals)]);
        return {
          ...summarize(row, orderNames),
          // The calibrated fraud risk of this score under the version that decided it (or "not enough outcomes yet").
          risk,
          trace: row.trace,
          actions: actions.map((a) => ({ id: a.id, type: a.type, ruleId: a.rule_id, status: a.status, attempts: a.attempts, result: a.result, error: a.error, spec: a.spec, revision: a.revision })),
          outcomes,
          // Every revision with its trigger and what changed (the last is this decision as it stands).
          revisions: revisionHistory(superseded, row, (id) => names[id]?.title),
          recommendation: recommendation(row.subject_kind as SubjectKind, row.zone, hold, risk),
          signalNames: names,
          facts,
          links: { order: shopifyAdminUrl(shop, row.order_id ?? (row.subject_kind === 'order' ? row.subject_id : null)), customer: shopifyAdminUrl(shop, row.customer_id) },
        } satisfies Sendable<DecisionDetail>;
      },
    },
    {
      method: 'POST',
      path: '/api/decisions/{id}/outcome',
      options: {
        validate: {
          params: idParams,
          payload: schema(object({ label: { enum: ['fraud', 'legit'] }, note: text(1000) }, ['label']), 'payload'),
        },
      },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const row = await deps.stores.decisions.get(shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such decision in this shop');
        const { label, note } = request.payload as OutcomeRequest;
        await deps.stores.db.transaction(async (trx) => {
          await deps.stores.outcomes.label(shop, { subjectKind: row.subject_kind, subjectId: row.subject_id, customerId: row.customer_id, decisionId: row.id, label, source: 'merchant', note }, trx);
          await deps.stores.audit.record(shop, user, 'outcome.label', row.subject_id, { label }, trx);
        });
        deps.calibrations.forget(shop); // the risk figures count it at once
        // A fraud label: the customer's open orders and returns (this one included) are revised with it.
        if (label === 'fraud') {
          const trigger = { kind: 'label' as const, factId: row.subject_id, at: new Date().toISOString() };
          await (row.customer_id ? deps.revisions.customers(shop, [row.customer_id], trigger) : deps.revisions.order(shop, row.order_id ?? row.subject_id, ['order', 'return', 'refund'], trigger)).catch((err: unknown) =>
            request.log(['warn'], { message: 'revisions after a fraud label not requested', err }),
          );
        }
        return { ok: true, label } satisfies Sendable<OutcomeAnswer>;
      },
    },
  ];
}

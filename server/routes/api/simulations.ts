import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { RulesetValidationError, validateRuleset, type Decision, type Ruleset, type SimulationReport } from '../../../engine/index.ts';
import { compareDecisions, knowledgeOf } from '../../../engine/simulate/simulate.ts';
import type { HistoryEvent } from '../../../engine/history/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { SimulationRow } from '../../store/index.ts';
import { days, INSTANT, object, ROW_ID, VERSION } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse } from './csv.ts';

const DAY = 86_400_000;
const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');
const versionParams = schema(object({ version: VERSION }, ['version']), 'params');

function view(row: Omit<SimulationRow, 'report'> & { report?: SimulationReport | null }) {
  return {
    id: row.id,
    version: row.version,
    againstVersion: row.against_version,
    window: { from: row.window_from, to: row.window_to },
    createdBy: row.created_by,
    createdAt: row.created_at,
    durationMs: row.duration_ms,
    status: row.status,
    progress: row.progress,
    error: row.error,
    ...(row.report !== undefined ? { report: row.report } : {}),
  };
}

/**
 * The simulator: a ruleset version replayed against the live one over the shop's backfilled
 * history (point-in-time, each fed its own decisions), the report stored to reopen and export.
 */
export function simulationRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/{version}/simulate',
      options: {
        validate: {
          params: versionParams,
          payload: schema(
            {
              type: ['object', 'null'],
              additionalProperties: false,
              properties: { from: INSTANT, to: INSTANT, days: days(730) },
            },
            'payload',
          ),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const version = (request.params as unknown as { version: number }).version;
        const body = (request.payload ?? {}) as { from?: string; to?: string; days?: number };
        const to = body.to ? Date.parse(body.to) : Date.now();
        const from = body.from ? Date.parse(body.from) : to - (body.days ?? 90) * DAY;
        if (Number.isNaN(from) || Number.isNaN(to)) throw Boom.badRequest('"from" and "to" must be ISO 8601 times');
        if (!(from < to)) throw Boom.badRequest('"from" must be before "to"');
        const row = await deps.simulations.start(shop, version, { from: new Date(from), to: new Date(to) }, user); // SimulationRefused → 404/409 (errors.ts)
        await deps.stores.audit.record(shop, user, 'ruleset.simulate', String(version), { simulation: row.id, against: row.against_version });
        return h.response(view(row)).code(202);
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets/preview',
      options: {
        validate: {
          payload: schema({ type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'object' }, days: { type: 'integer', minimum: 1, maximum: 730, default: 90 } } }, 'payload'),
        },
      },
      handler: async (request) => {
        // Checked here (quickly, with JSON pointers); the preview itself runs in a trial thread within its budget.
        const { shop } = shopOf(request);
        const { body, days } = request.payload as { body: Ruleset; days: number };
        const problems = validateRuleset(body, deps.registry).filter((p) => p.severity === 'error');
        if (problems.length > 0) throw new RulesetValidationError(problems);
        return deps.trials.preview(shop, body, days);
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets/{version}/shadow',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const version = (request.params as unknown as { version: number }).version;
        const row = await deps.stores.rulesets.setShadow(shop, version);
        await deps.stores.audit.record(shop, user, 'ruleset.shadow', String(version), {});
        return { shadowVersion: row!.version, since: row!.shadow_since };
      },
    },
    {
      method: 'DELETE',
      path: '/api/rulesets/shadow',
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        await deps.stores.rulesets.setShadow(shop, null);
        await deps.stores.audit.record(shop, user, 'ruleset.shadow.stop', null, {});
        return { shadowVersion: null };
      },
    },
    {
      method: 'GET',
      path: '/api/shadow',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const row = await deps.stores.rulesets.shadow(shop);
        if (!row) return { shadowVersion: null, report: null };
        const pairs = await deps.stores.rulesets.shadowPairs(shop, row.version);
        const live = pairs.map((p) => p.live as Decision);
        const shadow = new Map(pairs.map((p) => [(p.shadow as Decision).subject.id, p.shadow as Decision]));
        const since = row.shadow_since!.getTime();
        // What is known of these subjects now (labels, chargebacks, refunds), for the outcome columns.
        const customers = [...new Set(pairs.flatMap((p) => (p.customer_id ? [p.customer_id] : [])))];
        const orders = [...new Set(pairs.flatMap((p) => (p.order_id ? [p.order_id] : [])))];
        const material = live.length > 0 ? await deps.stores.context.material(shop, customers, orders, new Date().toISOString()) : { events: [], outcomes: [] };
        const known = knowledgeOf([...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))]);
        const report = compareDecisions(live, shadow, { ...known, window: { from: new Date(since).toISOString(), to: new Date().toISOString() }, immatureFrom: since });
        return { shadowVersion: row.version, since: row.shadow_since, report };
      },
    },
    {
      method: 'GET',
      path: '/api/simulations',
      handler: async (request) => ({ simulations: (await deps.stores.simulations.list(shopOf(request).shop)).map(view) }),
    },
    {
      method: 'GET',
      path: '/api/simulations/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const row = await deps.stores.simulations.get(shopOf(request).shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such simulation in this shop');
        return view(row);
      },
    },
    {
      method: 'POST',
      path: '/api/simulations/{id}/cancel',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const id = (request.params as { id: string }).id;
        const row = await deps.stores.simulations.get(shop, id);
        if (!row) throw Boom.notFound('No such simulation in this shop');
        if (!(await deps.stores.simulations.cancel(shop, id))) throw Boom.conflict(`The simulation is ${row.status}; only a running one can be cancelled`);
        return view({ ...row, status: 'cancelling' });
      },
    },
    {
      method: 'GET',
      path: '/api/simulations/{id}/flips.csv',
      options: { validate: { params: idParams } },
      handler: async (request, h) => {
        const row = await deps.stores.simulations.get(shopOf(request).shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such simulation in this shop');
        if (!row.report) throw Boom.conflict(`The simulation is ${row.status}; its report is not there yet`);
        return csvResponse(
          h,
          `simulation-${row.id}-flips`,
          ['subject', 'kind', 'at', 'customer', 'score_before', 'zone_before', 'score_after', 'zone_after', 'label', 'immature'],
          row.report.flips.map((f) => [f.subjectId, f.kind, f.at, f.customerId ?? '', f.before.score, f.before.zone, f.after.score, f.after.zone, f.label ?? '', f.immature ? 'yes' : 'no']),
        );
      },
    },
  ];
}

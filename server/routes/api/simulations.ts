import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import type { SimulationReport } from '../../../engine/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { SimulationRow } from '../../store/index.ts';
import { object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse } from './csv.ts';
import type { Sendable, Simulation, SimulationList } from '../../../contract/index.ts';

const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');

/** A simulation as the API answers it (with its report when the row has it). */
export function simulationView(row: Omit<SimulationRow, 'report'> & { report?: SimulationReport | null }) {
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
  } satisfies Sendable<Simulation>;
}

/**
 * The simulator's runs: a ruleset version replayed against the live one over the shop's
 * backfilled history (point-in-time, each fed its own decisions; started by
 * `POST /api/rulesets/{version}/simulate`, rulesets/simulate.ts), the report stored to reopen,
 * cancel and export.
 */
export function simulationRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/simulations',
      handler: async (request) => ({ simulations: (await deps.stores.simulations.list(shopOf(request).shop)).map(simulationView) }) satisfies Sendable<SimulationList>,
    },
    {
      method: 'GET',
      path: '/api/simulations/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const row = await deps.stores.simulations.get(shopOf(request).shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such simulation in this shop');
        return simulationView(row);
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
        return simulationView({ ...row, status: 'cancelling' });
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

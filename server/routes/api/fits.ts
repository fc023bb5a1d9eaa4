import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { FitRequest } from '../../services/FitService.ts';
import type { FitRow } from '../../store/index.ts';
import { bounded, INSTANT, limit, object, PG_INT_MAX, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');

/** What a merchant may set: the split, the precision targets of the zones, the labels' period and moment. */
const FIT_PAYLOAD = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    split: { enum: ['auto', 'time', 'customer'] },
    testShare: bounded(0.1, 0.5),
    seed: { type: 'integer', minimum: 0, maximum: PG_INT_MAX },
    highPrecision: bounded(0.5, 0.999),
    mediumPrecision: bounded(0.05, 0.99),
    minLabels: limit(10_000, 20, 5),
    l2: bounded(0, 1_000),
    from: INSTANT,
    to: INSTANT,
    asOf: INSTANT,
  },
} as const;

function view(row: Omit<FitRow, 'report'> & { report?: FitRow['report'] }) {
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    options: row.options,
    asOf: row.as_of,
    fittedFrom: row.against_version,
    labels: row.labels,
    draftVersion: row.draft_version,
    refusal: row.refusal,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    durationMs: row.duration_ms,
    ...(row.report !== undefined ? { report: row.report } : {}),
  };
}

/**
 * Fitting: `POST /api/rulesets/fit` starts a fit of the published version to the shop's labels
 * (202; 422 with the label counts per kind when no kind has enough), a job in the trial thread
 * that ends in a draft version with its report; `GET /api/fits`, `GET /api/fits/{id}` (progress,
 * report, the draft), `POST /api/fits/{id}/cancel`. A fit never publishes.
 */
export function fitRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/fit',
      options: { validate: { payload: schema(FIT_PAYLOAD, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const body = (request.payload ?? {}) as FitRequest;
        if (body.from && body.to && !(Date.parse(body.from) < Date.parse(body.to))) throw Boom.badRequest('"from" must be before "to"');
        if (body.highPrecision !== undefined && body.mediumPrecision !== undefined && !(body.mediumPrecision < body.highPrecision)) {
          throw Boom.badRequest('"mediumPrecision" must be below "highPrecision" (MEDIUM starts at a lower precision than HIGH)');
        }
        if (body.asOf && Date.parse(body.asOf) > Date.now()) throw Boom.badRequest('"asOf" must not be in the future: labels are read as known at that moment');
        const row = await deps.fits.start(shop, body, user);
        await deps.stores.audit.record(shop, user, 'ruleset.fit', `v${row.against_version}`, { fit: row.id, options: body });
        return h.response(view(row)).code(202);
      },
    },
    {
      method: 'GET',
      path: '/api/fits',
      handler: async (request) => ({ fits: (await deps.stores.fits.list(shopOf(request).shop)).map(view) }),
    },
    {
      method: 'GET',
      path: '/api/fits/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const row = await deps.stores.fits.get(shopOf(request).shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such fit in this shop');
        return view(row);
      },
    },
    {
      method: 'POST',
      path: '/api/fits/{id}/cancel',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        const row = await deps.stores.fits.get(shop, id);
        if (!row) throw Boom.notFound('No such fit in this shop');
        if (!(await deps.stores.fits.cancel(shop, id))) throw Boom.conflict(`The fit is ${row.status}; only a running one can be cancelled`);
        await deps.stores.audit.record(shop, user, 'ruleset.fit.cancel', `v${row.against_version}`, { fit: id });
        const { report: _report, ...rest } = row;
        return view({ ...rest, status: 'cancelling' });
      },
    },
  ];
}

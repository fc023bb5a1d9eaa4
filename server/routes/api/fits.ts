import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { FitRow } from '../../store/index.ts';
import { object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { Fit, FitList, FitReport, Sendable } from '../../../contract/index.ts';

const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');

/** A fit as the API answers it (with its report when the row has it). */
export function fitView(row: Omit<FitRow, 'report'> & { report?: FitRow['report'] }) {
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
    // The row keeps the report as JSON it does not type: it is the FitReport the fit wrote.
    ...(row.report !== undefined ? { report: row.report as FitReport | null } : {}),
  } satisfies Sendable<Fit>;
}

/**
 * Fits (started by `POST /api/rulesets/fit`, rulesets/fit.ts): `GET /api/fits`,
 * `GET /api/fits/{id}` (progress, report, the draft), `POST /api/fits/{id}/cancel`, through
 * `RulesetService` (which delegates to `FitService`). A fit never publishes.
 */
export function fitRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/fits',
      handler: async (request) => ({ fits: (await deps.rulesets.fits(shopOf(request).shop)).map(fitView) }) satisfies Sendable<FitList>,
    },
    {
      method: 'GET',
      path: '/api/fits/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const row = await deps.rulesets.fit(shopOf(request).shop, (request.params as { id: string }).id);
        if (!row) throw Boom.notFound('No such fit in this shop');
        return fitView(row);
      },
    },
    {
      method: 'POST',
      path: '/api/fits/{id}/cancel',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        // 404 for no such fit, 409 for one that is not running (FitRefused); audited.
        return fitView(await deps.rulesets.cancelFit(shop, (request.params as { id: string }).id, user));
      },
    },
  ];
}

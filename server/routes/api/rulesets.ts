import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { compileRuleset, validateRuleset, type Ruleset } from '../../../engine/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { RulesetRow } from '../../store/index.ts';
import { object, PG_INT_MAX, VERSION } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

const versionParams = schema(object({ version: VERSION }, ['version']), 'params');

function view(row: RulesetRow, withBody: boolean) {
  return {
    version: row.version,
    rulesetId: row.ruleset_id,
    status: row.status,
    contentHash: row.content_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    shadowSince: row.shadow_since ?? null,
    // Its custom expressions kept exceeding their budget: the shop scores with `scoringWith` instead.
    overBudget: row.over_budget_at ? { since: row.over_budget_at, reason: row.over_budget_reason } : null,
    // How a draft was made: by a fit (`note`: the labels used, options, the report with held-out metrics and
    // calibration, live and fitted side by side), or of accepted suggestions (their evidence and preview).
    madeBy: row.note ? { kind: row.note.kind, from: row.note.fittedFrom, asOf: row.note.asOf, ...(row.note.kind === 'fit' ? { fitId: row.note.fitId } : {}) } : null,
    ...(withBody ? { body: row.body, note: row.note ?? null } : {}),
  };
}

/** Rulesets: list, get, validate, save a draft, publish, roll back. Published versions never change. */
export function rulesetRoutes(deps: ApiDeps): ServerRoute[] {
  const { rulesets } = deps.stores;
  return [
    {
      method: 'GET',
      path: '/api/rulesets',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const live = await deps.scoring.rulesetFor(shop).catch(() => undefined);
        // The version decisions are made with now: the published one, or its fallback while that is over budget.
        return { versions: (await rulesets.list(shop)).map((r) => view(r, false)), scoringWith: live ? { version: live.version, contentHash: live.contentHash } : null };
      },
    },
    {
      method: 'GET',
      path: '/api/rulesets/{version}',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const row = await rulesets.get(shopOf(request).shop, (request.params as unknown as { version: number }).version);
        if (!row) throw Boom.notFound('No such ruleset version');
        return view(row, true);
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets/validate',
      options: { validate: { payload: schema(object({ body: {} }, ['body']), 'payload') } },
      handler: async (request) => {
        const problems = validateRuleset((request.payload as { body: unknown }).body, deps.registry);
        return { valid: !problems.some((p) => p.severity === 'error'), problems };
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets',
      options: {
        validate: {
          payload: schema(object({ body: {}, baseVersion: { type: ['integer', 'null'], minimum: 1, maximum: PG_INT_MAX } }, ['body', 'baseVersion']), 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const { body, baseVersion } = request.payload as { body: Ruleset; baseVersion: number | null };
        compileRuleset(body, deps.registry); // throws RulesetValidationError → 422 with pointers
        const row = await rulesets.createDraft(shop, body, user, baseVersion);
        return h.response(view(row, true)).code(201);
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets/{version}/publish',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const draft = await rulesets.get(shop, (request.params as unknown as { version: number }).version);
        if (draft) compileRuleset(draft.body, deps.registry); // a draft that no longer compiles is never published
        return view(await rulesets.publish(shop, (request.params as unknown as { version: number }).version, user), false);
      },
    },
    {
      method: 'POST',
      path: '/api/rulesets/{version}/rollback',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        return view(await rulesets.rollback(shop, (request.params as unknown as { version: number }).version, user), false);
      },
    },
  ];
}

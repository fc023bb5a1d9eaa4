import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { days, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { AcceptSuggestionsRequest, AcceptedSuggestions, ProposalList, RulesetNote, Sendable } from '../../../contract/index.ts';

const SIGNAL_ID = { type: 'string', minLength: 1, maxLength: 200 } as const;

/**
 * Weight suggestions as explained proposals: `GET /api/suggestions?days=` (each with the labels
 * behind it, its evidence in words and a preview of what accepting it changes over the last
 * `days`, default 90) and `POST /api/suggestions/accept` (`{signalIds, days?}`: the chosen
 * proposals as a draft version, 201). Never applied by themselves.
 */
export function suggestionRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/suggestions',
      options: { validate: { query: schema(object({ days: days(730) }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        // Learned and previewed in the trial thread (every labelled decision's signals are read and re-weighed).
        const list = await deps.rulesets.suggestions(shop, (request.query as { days?: number }).days ?? 90);
        if (!list) throw Boom.conflict('This shop has no published ruleset to suggest weights for');
        return list satisfies Sendable<ProposalList>;
      },
    },
    {
      method: 'POST',
      path: '/api/suggestions/accept',
      options: {
        validate: {
          payload: schema(object({ signalIds: { type: 'array', items: SIGNAL_ID, minItems: 1, maxItems: 200 }, days: days(730) }, ['signalIds']), 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const { signalIds, days: window } = request.payload as AcceptSuggestionsRequest;
        const result = await deps.rulesets.acceptSuggestions(shop, signalIds, user, window ?? 90); // saved in the trial thread, audited
        if (!result) throw Boom.conflict('This shop has no published ruleset to suggest weights for');
        if ('unknown' in result) throw Boom.badData(`Not among the current suggestions: ${result.unknown.join(', ')} (the suggestions may have changed; reload them)`);
        // The row keeps the note as JSON it does not type: it is the SuggestionsNote the draft was written with.
        return h.response({ version: result.draft.version, status: result.draft.status, body: result.draft.body, note: (result.draft.note ?? null) as RulesetNote | null, accepted: result.accepted } satisfies Sendable<AcceptedSuggestions>).code(201);
      },
    },
  ];
}

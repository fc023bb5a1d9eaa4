import type { Request } from '@hapi/hapi';
import type { RulesetRow } from '../../../store/index.ts';
import { object, VERSION } from '../../fields.ts';
import { schema } from '../../validate.ts';
import type { RulesetNote, RulesetVersion, RulesetWithBody, Sendable } from '../../../../contract/index.ts';

/** What the ruleset routes share (hapi-pal's `routes/helpers`): the version param and the answer's shape of a version. */

export const versionParams = schema(object({ version: VERSION }, ['version']), 'params');

/** The `{version}` of the path, validated by `versionParams`. */
export function versionOf(request: Request): number {
  return (request.params as unknown as { version: number }).version;
}

/** A ruleset version as the API answers it, with its body (and how it was made) or without. */
export function rulesetView(row: RulesetRow, withBody: true): Sendable<RulesetWithBody>;
export function rulesetView(row: RulesetRow, withBody: false): Sendable<RulesetVersion>;
export function rulesetView(row: RulesetRow, withBody: boolean): Sendable<RulesetVersion> {
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
    overBudget: row.over_budget_at ? { since: row.over_budget_at, reason: row.over_budget_reason ?? null } : null,
    // How a draft was made: by a fit (`note`: the labels used, options, the report with held-out metrics and
    // calibration, live and fitted side by side), or of accepted suggestions (their evidence and preview).
    madeBy: row.note ? { kind: row.note.kind, from: row.note.fittedFrom, asOf: row.note.asOf, ...(row.note.kind === 'fit' ? { fitId: row.note.fitId } : {}) } : null,
    // The row keeps the note as JSON it does not type: it is the FitNote or SuggestionsNote the draft was written with.
    ...(withBody ? { body: row.body, note: (row.note ?? null) as RulesetNote | null } : {}),
  } satisfies Sendable<RulesetVersion>;
}

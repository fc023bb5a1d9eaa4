import type { Knex } from 'knex';

/**
 * A published version whose custom expressions keep exceeding their budget is marked, and the
 * shop scores with its last good version meanwhile (server/services/RulesetBudgetGuard.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rulesets', (t) => {
    t.timestamp('over_budget_at', { useTz: true }).nullable();
    t.text('over_budget_reason').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rulesets', (t) => {
    t.dropColumn('over_budget_at');
    t.dropColumn('over_budget_reason');
  });
}

import type { Knex } from 'knex';
import * as initial from './20261122000000_initial.ts';
import * as scoringIndexes from './20261122100000_scoring_indexes.ts';
import * as backfill from './20261122110000_backfill.ts';
import * as backfillPass from './20261122120000_backfill_pass.ts';
import * as simulations from './20261122130000_simulations.ts';
import * as shadow from './20261122140000_shadow.ts';
import * as simulationJobs from './20261122150000_simulation_jobs.ts';
import * as listsSnoozesHoldout from './20261122160000_lists_snoozes_holdout.ts';
import * as rings from './20261122160000_rings.ts';
import * as goals from './20261122163000_goals.ts';
import * as reasonClusters from './20261122170000_reason_clusters.ts';
import * as lz4Compression from './20261122180000_lz4_compression.ts';
import * as identityUses from './20261122190000_identity_uses.ts';
import * as traceJson from './20261122200000_trace_json.ts';
import * as traceStorage from './20261122210000_trace_storage.ts';
import * as rulesetBudget from './20261207100000_ruleset_budget.ts';
import * as productFacts from './20261207110000_product_facts.ts';
import * as identityOrders from './20261208120000_identity_orders.ts';
import * as orderCheckoutFacts from './20261208130000_order_checkout_facts.ts';
import * as fits from './20261209100000_fits.ts';
import * as alerts from './20261210100000_alerts.ts';
import * as alertEmail from './20261210110000_alert_email.ts';
import * as decisionRevisions from './20261211100000_decision_revisions.ts';
import * as alertChecks from './20261211200000_alert_checks.ts';
import * as auditKeyset from './20261212100000_audit_keyset.ts';

/**
 * The migrations, in order. Listed explicitly (a knex MigrationSource) rather than read from the
 * folder, so they load as ES modules under Node's type stripping with no loader.
 */
const MIGRATIONS: [string, Knex.Migration][] = [
  ['20261122000000_initial', initial],
  ['20261122100000_scoring_indexes', scoringIndexes],
  ['20261122110000_backfill', backfill],
  ['20261122120000_backfill_pass', backfillPass],
  ['20261122130000_simulations', simulations],
  ['20261122140000_shadow', shadow],
  ['20261122150000_simulation_jobs', simulationJobs],
  ['20261122160000_lists_snoozes_holdout', listsSnoozesHoldout],
  ['20261122160000_rings', rings],
  ['20261122163000_goals', goals],
  ['20261122170000_reason_clusters', reasonClusters],
  ['20261122180000_lz4_compression', lz4Compression],
  ['20261122190000_identity_uses', identityUses],
  ['20261122200000_trace_json', traceJson],
  ['20261122210000_trace_storage', traceStorage],
  ['20261207100000_ruleset_budget', rulesetBudget],
  ['20261207110000_product_facts', productFacts],
  ['20261208120000_identity_orders', identityOrders],
  ['20261208130000_order_checkout_facts', orderCheckoutFacts],
  ['20261209100000_fits', fits],
  ['20261210100000_alerts', alerts],
  ['20261210110000_alert_email', alertEmail],
  ['20261211100000_decision_revisions', decisionRevisions],
  ['20261211200000_alert_checks', alertChecks],
  ['20261212100000_audit_keyset', auditKeyset],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS.find(([n]) => n === name)![1],
};

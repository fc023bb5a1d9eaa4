import type { Knex } from 'knex';

/** Alert rules may send email (through the configured SMTP server) instead of posting to a webhook: one destination per rule. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alert_rules', (t) => {
    t.text('email'); // the address alerts are mailed to (null: the rule posts to `url`)
    t.text('url').nullable().alter();
  });
  await knex.raw(`alter table alert_rules add constraint alert_rules_one_destination check ((url is null) <> (email is null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table alert_rules drop constraint alert_rules_one_destination');
  await knex('alert_rules').whereNull('url').delete();
  await knex.schema.alterTable('alert_rules', (t) => {
    t.dropColumn('email');
    t.text('url').notNullable().alter();
  });
}

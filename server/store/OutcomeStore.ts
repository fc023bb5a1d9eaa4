import type { Knex } from 'knex';

export interface OutcomeInput {
  subjectKind: string;
  subjectId: string;
  customerId: string | null;
  decisionId: string | null;
  label: 'fraud' | 'legit';
  source: 'merchant' | 'chargeback' | 'aging';
  note?: string;
}

/** Confirmed outcomes (fraud / legit) that close the loop for signals and learning. */
export class OutcomeStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** One label per subject and source; labelling again replaces it. */
  async label(shopId: string, input: OutcomeInput, trx: Knex = this.db): Promise<void> {
    await trx('outcomes')
      .insert({ shop_id: shopId, subject_kind: input.subjectKind, subject_id: input.subjectId, customer_id: input.customerId, decision_id: input.decisionId, label: input.label, source: input.source, note: input.note ?? null })
      .onConflict(['shop_id', 'subject_id', 'source'])
      .merge(['label', 'note', 'labelled_at']);
  }

  forSubject(shopId: string, subjectId: string): Promise<{ label: 'fraud' | 'legit'; source: string; note: string | null; labelled_at: Date }[]> {
    return this.db('outcomes').where({ shop_id: shopId, subject_id: subjectId }).orderBy('labelled_at');
  }

  forCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<{ subject_id: string; label: string; source: string }[]> {
    return trx('outcomes').where({ shop_id: shopId, customer_id: customerId });
  }

  deleteForCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<number> {
    return trx('outcomes').where({ shop_id: shopId, customer_id: customerId }).delete();
  }
}

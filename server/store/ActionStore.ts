import type { Knex } from 'knex';
import type { ChosenAction } from '../../engine/index.ts';

/** `proposed`: suggested to the merchant, never run by the app (a hold release after a revision lowered the zone). */
export type ActionStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'released' | 'proposed';

export interface ActionRow {
  id: string;
  shop_id: string;
  decision_id: string;
  /** The revision of the decision that chose it (0: the first decision). */
  revision: number;
  rule_id: string;
  type: string;
  spec: ChosenAction;
  status: ActionStatus;
  attempts: number;
  result: Record<string, unknown> | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * The actions a decision chose: written in the decision's transaction (an outbox), then run by
 * action jobs. One row per (decision, revision, rule, type), so a retried decision or a replayed
 * revision never doubles them.
 */
export class ActionStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }


  get(shopId: string, id: string): Promise<ActionRow | undefined> {
    return this.db<ActionRow>('actions').where({ shop_id: shopId, id }).first();
  }

  forDecision(shopId: string, decisionId: string): Promise<ActionRow[]> {
    return this.db<ActionRow>('actions').where({ shop_id: shopId, decision_id: decisionId }).orderBy('id');
  }

  /**
   * Claims a pending action of the shop (or a running one, whose run may have died with its
   * worker): it becomes running with one more attempt. Undefined when it is finished, or not
   * this shop's.
   */
  async claim(shopId: string, id: string): Promise<ActionRow | undefined> {
    const [row] = await this.db<ActionRow>('actions')
      .where({ shop_id: shopId, id })
      .whereIn('status', ['pending', 'running'])
      .update({ status: 'running', attempts: this.db.raw('attempts + 1') as never, updated_at: this.db.fn.now() as never }, '*');
    return row;
  }

  async finish(shopId: string, id: string, status: Exclude<ActionStatus, 'pending' | 'running'>, result: Record<string, unknown> | null, error: string | null = null): Promise<void> {
    await this.db('actions').where({ shop_id: shopId, id }).update({ status, result: result === null ? null : JSON.stringify(result), error, updated_at: this.db.fn.now() });
  }

  /** Back to pending after a transient failure, with the reason visible until the next run. */
  async requeue(shopId: string, id: string, error: string): Promise<void> {
    await this.db('actions').where({ shop_id: shopId, id }).update({ status: 'pending', error, updated_at: this.db.fn.now() });
  }

  /** Marks a revision's proposals to release this hold (`fulfillment.release`, proposed) done: the merchant released it. */
  async settleReleaseProposals(shopId: string, holdActionId: string, actor: string): Promise<void> {
    await this.db('actions')
      .where({ shop_id: shopId, type: 'fulfillment.release', status: 'proposed' })
      .andWhereRaw("result->>'holdActionId' = ?", [holdActionId])
      .update({ status: 'done', result: this.db.raw("result || jsonb_build_object('releasedBy', ?::text)", [actor]), updated_at: this.db.fn.now() });
  }

  /** Held orders awaiting review: done holds not yet released. */
  heldOrders(shopId: string): Promise<(ActionRow & { order_id: string })[]> {
    // Each with the order it holds (its decision's order).
    return this.db('actions as a')
      .join('decisions as d', function () {
        this.on('d.shop_id', 'a.shop_id').andOn('d.id', 'a.decision_id');
      })
      .where({ 'a.shop_id': shopId, 'a.type': 'fulfillment.hold', 'a.status': 'done' })
      .orderBy('a.id', 'desc')
      .select('a.*', this.db.raw('coalesce(d.order_id, d.subject_id) as order_id'));
  }

  /** Pending actions older than a minute, to re-enqueue after a crash between commit and send. */
  stalePending(limit = 100): Promise<ActionRow[]> {
    return this.db<ActionRow>('actions').where('status', 'pending').andWhere('created_at', '<', this.db.raw("now() - interval '1 minute'")).limit(limit);
  }
}

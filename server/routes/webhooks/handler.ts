import type { Knex } from 'knex';
import type { RevisionTrigger } from '../../../contract/decisions.ts';
import type { SubjectKind } from '../../../sdk/index.ts';
import type { AppDeps } from '../../AppDeps.ts';
import type { NormalizedWebhook } from '../../shopify/normalize/index.ts';
import type { DeliveryInput, DeliveryVerdict } from '../../store/DeliveryStore.ts';
import type { ShopRow } from '../../store/index.ts';

/** The normalized webhooks a topic handler is given (`ignored` ones never reach a handler). */
export type HandledKind = Exclude<NormalizedWebhook['kind'], 'ignored'>;
export type WebhookOf<K extends HandledKind> = Extract<NormalizedWebhook, { kind: K }>;

/** What a handler answers Shopify (200 with this body): a duplicate says how it was seen before. */
export type WebhookAnswer = { ok: true; duplicate?: Exclude<DeliveryVerdict, 'new'>; ignored?: string; woken?: boolean };

/** One delivery, verified and normalized, as `index.ts` hands it to its topic's handler. */
export interface WebhookContext {
  deps: AppDeps;
  shopId: string;
  /** The shop's row: always there for a handler, except one that acts for shops not installed (`anyShop`). */
  shop: ShopRow | undefined;
  /** For dedupe: Webhook-Id, and the business effect (topic, Event-Id, resource). */
  delivery: DeliveryInput;
}

/**
 * The handler of a topic (or of topics sharing a body, e.g. `returns/*`): given the normalized
 * body, it stores what the topic says with the delivery's record in one transaction (`writeOnce`),
 * then enqueues what follows (scoring). `topics.ts` maps each topic to its handler.
 */
export interface WebhookHandler<K extends HandledKind = HandledKind> {
  /** What its topics normalize to. */
  kind: K;
  /** Acts for a shop that is not installed, and on a late retry (shop/redact: a shop's data is deleted whatever comes). */
  anyShop?: true;
  handle(context: WebhookContext, webhook: WebhookOf<K>): Promise<WebhookAnswer>;
}

/**
 * Records the delivery and, if it is new, runs `write` in the same transaction: both or nothing,
 * so a delivery is never acknowledged as seen without its effect (nor written twice). The verdict:
 * `new`, or how it was seen before (`write` did not run).
 */
export function writeOnce(context: WebhookContext, write: (trx: Knex) => Promise<void>): Promise<DeliveryVerdict> {
  const { stores } = context.deps;
  return stores.db.transaction(async (trx) => {
    const seen = await stores.deliveries.record(context.delivery, 'enqueued', trx);
    if (seen === 'new') await write(trx);
    return seen;
  });
}

/** The answer to a delivery written (or seen before). */
export function answer(verdict: DeliveryVerdict): WebhookAnswer {
  return verdict === 'new' ? { ok: true } : { ok: true, duplicate: verdict };
}

/** A scoring request for a subject of a topic that is scored, when the shop is active (an uninstalled or reconnecting shop stores, but scores nothing). */
export function scoreRequest(context: WebhookContext, kind: SubjectKind, subjectId: string) {
  return context.shop?.status === 'active' ? { shopId: context.shopId, kind, subjectId } : null;
}

/**
 * After a transaction or Shopify's assessment of an order's checkout: the order is scored with it
 * if it is stored and not decided yet (a decided order is not re-scored here).
 */
export async function scoreUndecidedOrder(context: WebhookContext, orderId: string): Promise<void> {
  if (context.shop?.status !== 'active') return;
  const [state] = await context.deps.stores.context.subjects([{ shopId: context.shopId, kind: 'order', id: orderId }]);
  if (state && state.record !== undefined && !state.decided) await context.deps.queue.sendScore({ shopId: context.shopId, kind: 'order', subjectId: orderId });
}

/**
 * After a new fact about an order (a transaction, an edit): the order, if stored, is sent for
 * scoring with the fact as its trigger, so it is decided if it was not yet and otherwise revised
 * while it is still open (`ScoringService.revise`).
 */
export async function scoreOrderWith(context: WebhookContext, orderId: string, trigger: RevisionTrigger): Promise<void> {
  if (context.shop?.status !== 'active') return;
  const [state] = await context.deps.stores.context.subjects([{ shopId: context.shopId, kind: 'order', id: orderId }]);
  if (state && state.record !== undefined) await context.deps.revisions.subject(context.shopId, 'order', orderId, trigger);
}

import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/**
 * `app/uninstalled`: the shop stops (status `uninstalled`, its access token dropped), with the
 * delivery's record in one transaction; its data stays until `shop/redact`.
 */
export const appUninstalled: WebhookHandler<'app/uninstalled'> = {
  kind: 'app/uninstalled',
  async handle(context) {
    const { shops } = context.deps.stores;
    const verdict = await writeOnce(context, (trx) => shops.markUninstalled(context.shopId, trx));
    shops.forget(context.shopId); // after the commit: no request caches the shop as still active
    return answer(verdict);
  },
};

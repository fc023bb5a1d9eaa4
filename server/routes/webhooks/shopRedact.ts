import type { WebhookHandler } from './handler.ts';

/**
 * `shop/redact` (compliance, 48 hours after uninstall): every row of the shop deleted in one
 * transaction (`GdprService.redactShop`), deliveries included, so nothing records it: for a shop
 * not installed (any more) too, and however late it comes.
 */
export const shopRedact: WebhookHandler<'shop/redact'> = {
  kind: 'shop/redact',
  anyShop: true,
  async handle(context) {
    await context.deps.gdpr.redactShop(context.shopId);
    return { ok: true };
  },
};

import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/** `customers/redact` (compliance): every row about the customer and their orders deleted (`GdprService.redactCustomer`, audited), with the delivery's record in one transaction. */
export const customersRedact: WebhookHandler<'customers/redact'> = {
  kind: 'customers/redact',
  async handle(context, webhook) {
    const { deps, shopId } = context;
    return answer(await writeOnce(context, (trx) => deps.gdpr.redactCustomer(shopId, webhook.customerId, webhook.orderIds, trx).then(() => undefined)));
  },
};

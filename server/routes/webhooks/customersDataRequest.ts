import { answer, writeOnce, type WebhookHandler } from './handler.ts';

/** `customers/data_request` (compliance): what is stored about the customer reported and audited (`GdprService.dataRequest`), with the delivery's record in one transaction. */
export const customersDataRequest: WebhookHandler<'customers/data_request'> = {
  kind: 'customers/data_request',
  async handle(context, webhook) {
    const { deps, shopId } = context;
    return answer(
      await writeOnce(context, async (trx) => {
        const report = await deps.gdpr.dataRequest(shopId, webhook.customerId, webhook.orderIds, trx);
        deps.log.info({ shopId, customerId: webhook.customerId, decisions: report.decisions.length }, 'customer data request recorded');
      }),
    );
  },
};

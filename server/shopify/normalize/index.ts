/** The Shopify webhook ingestion boundary: raw bodies in, normalized records (no raw PII) out. */
export { bodyShopDomain, normalizeWebhook, type NormalizedWebhook, type NormalizeWebhookOptions } from './normalizeWebhook.ts';
export { parseWebhookBody } from './parseWebhookBody.ts';
export { PayloadError } from './PayloadError.ts';
export { canonicalTopic, isSupportedTopic, TOPIC_KINDS, type SupportedTopic } from './webhookTopic.ts';
export { normalizeLineItem, normalizeOrder, splitTags, type NormalizedOrder } from './normalizeOrder.ts';
export { normalizeFulfillment } from './normalizeFulfillment.ts';
export { normalizeReturn, returnLinesComplete, withOrderLines } from './normalizeReturn.ts';
export { normalizeRefund, refundMethodOfGateway } from './normalizeRefund.ts';
export { normalizeDispute } from './normalizeDispute.ts';
export {
  customerRedactSubjects, shopRedactSubjects, subjectIdsForDataRequest, subjectIdsForRedact, type CustomerSubjects, type ShopSubjects,
} from './subjectIdsForRedact.ts';
export { inferShippingSpeed } from './inferShippingSpeed.ts';
export { addressHash, summarizeAddress } from './summarizeAddress.ts';
export { deviceHash, ipHash, normalizePhone, phoneHash } from './identityHashes.ts';
export { scrubNote } from './scrubNote.ts';
export { mayHoldUnstorableText, parseScrubbedJson, scrubString, scrubStrings } from './scrubText.ts';
export { EARLIEST_BODY_TIME, isBodyTime, LATEST_BODY_TIME, parseIsoTime } from './isoTime.ts';

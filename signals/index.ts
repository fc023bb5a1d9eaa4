import type { AnySignal } from '../sdk/index.ts';
import customerCardChurn from './customer/card-churn.ts';
import customerConfirmedFraud from './customer/confirmed-fraud.ts';
import customerConfirmedLegit from './customer/confirmed-legit.ts';
import customerDoubleDip from './customer/double-dip.ts';
import customerFraudRing from './customer/fraud-ring.ts';
import customerGuestCheckout from './customer/guest-checkout.ts';
import customerLifetimeRefundRatio from './customer/lifetime-refund-ratio.ts';
import customerManualFlag from './customer/manual-flag.ts';
import customerManualTrust from './customer/manual-trust.ts';
import customerNewAccount from './customer/new-account.ts';
import customerPriorChargebacks from './customer/prior-chargebacks.ts';
import customerPriorHighRiskDecisions from './customer/prior-high-risk-decisions.ts';
import customerPriorReturnRate from './customer/prior-return-rate.ts';
import customerPriorRiskTags from './customer/prior-risk-tags.ts';
import customerRiskTrajectory from './customer/risk-trajectory.ts';
import customerTrustedLongTerm from './customer/trusted-long-term.ts';
import orderAddressMismatch from './order/address-mismatch.ts';
import orderAllowlistMatch from './order/allowlist-match.ts';
import orderAvsMismatch from './order/avs-mismatch.ts';
import orderBlocklistMatch from './order/blocklist-match.ts';
import orderBracketing from './order/bracketing.ts';
import orderChargebackProne from './order/chargeback-prone.ts';
import orderCvvMismatch from './order/cvv-mismatch.ts';
import orderDiscountStacking from './order/discount-stacking.ts';
import orderDisposableEmail from './order/disposable-email.ts';
import orderExpressHighValue from './order/express-high-value.ts';
import orderExpressThenReturn from './order/express-then-return.ts';
import orderFailedPaymentAttempts from './order/failed-payment-attempts.ts';
import orderGeoAnomaly from './order/geo-anomaly.ts';
import orderGiftCardPayment from './order/gift-card-payment.ts';
import orderGiftCardRefund from './order/gift-card-refund.ts';
import orderGuestSharesAccount from './order/guest-shares-account.ts';
import orderHighAbuseSku from './order/high-abuse-sku.ts';
import orderHighValue from './order/high-value.ts';
import orderHostingIp from './order/hosting-ip.ts';
import orderIdentifierVelocity from './order/identifier-velocity.ts';
import orderIpCountryMismatch from './order/ip-country-mismatch.ts';
import orderIpFarFromAddress from './order/ip-far-from-address.ts';
import orderManualRefundNoReturn from './order/manual-refund-no-return.ts';
import orderMultipleRefunds from './order/multiple-refunds.ts';
import orderNewAccountSharedIdentity from './order/new-account-shared-identity.ts';
import orderNewShippingAddress from './order/new-shipping-address.ts';
import orderRefundExceedsPaid from './order/refund-exceeds-paid.ts';
import orderRefundExceedsReturned from './order/refund-exceeds-returned.ts';
import orderRefundToOriginalPayment from './order/refund-to-original-payment.ts';
import orderRiskyFirstOrder from './order/risky-first-order.ts';
import orderSharedIdentifier from './order/shared-identifier.ts';
import orderShopifyRiskLevel from './order/shopify-risk-level.ts';
import orderVelocityAnomaly from './order/velocity-anomaly.ts';
import patternBracketingFollowThrough from './pattern/bracketing-follow-through.ts';
import patternEventWardrobing from './pattern/event-wardrobing.ts';
import patternExchangeChurning from './pattern/exchange-churning.ts';
import patternFullOrderReturns from './pattern/full-order-returns.ts';
import patternPartialReturnAfterDiscount from './pattern/partial-return-after-discount.ts';
import patternPriciestItemOnly from './pattern/priciest-item-only.ts';
import patternReasonMonotony from './pattern/reason-monotony.ts';
import patternRepeatHighValueReturns from './pattern/repeat-high-value-returns.ts';
import patternRepeatedDefectClaims from './pattern/repeated-defect-claims.ts';
import patternSaleItemFullCredit from './pattern/sale-item-full-credit.ts';
import patternSameSkuReturned from './pattern/same-sku-returned.ts';
import patternSizeSwing from './pattern/size-swing.ts';
import patternVagueReason from './pattern/vague-reason.ts';
import patternWeekendWardrobing from './pattern/weekend-wardrobing.ts';
import velocityBulkReturn from './velocity/bulk-return.ts';
import velocityBuyReturnCycles from './velocity/buy-return-cycles.ts';
import velocityFastReturn from './velocity/fast-return.ts';
import velocityRefundCount30d from './velocity/refund-count-30d.ts';
import velocityRefundValue30d from './velocity/refund-value-30d.ts';
import velocityReturnBeforeDelivery from './velocity/return-before-delivery.ts';
import velocityReturnFrequencySpike from './velocity/return-frequency-spike.ts';
import velocityReturnRate from './velocity/return-rate.ts';
import velocityReturns30d from './velocity/returns-30d.ts';
import velocityReturns7d from './velocity/returns-7d.ts';
import velocityReturns90d from './velocity/returns-90d.ts';
import velocitySameDayReturnCycling from './velocity/same-day-return-cycling.ts';
import velocityWindowEdgeReturn from './velocity/window-edge-return.ts';

/**
 * The built-in signal catalog, alphabetised by id (a test keeps it complete and in order). The
 * engine receives it through a registry (`createRegistry(builtinSignals)`), the same way it
 * receives plugin signals.
 */
export const builtinSignals: readonly AnySignal[] = Object.freeze([
  customerCardChurn,
  customerConfirmedFraud,
  customerConfirmedLegit,
  customerDoubleDip,
  customerFraudRing,
  customerGuestCheckout,
  customerLifetimeRefundRatio,
  customerManualFlag,
  customerManualTrust,
  customerNewAccount,
  customerPriorChargebacks,
  customerPriorHighRiskDecisions,
  customerPriorReturnRate,
  customerPriorRiskTags,
  customerRiskTrajectory,
  customerTrustedLongTerm,
  orderAddressMismatch,
  orderAllowlistMatch,
  orderAvsMismatch,
  orderBlocklistMatch,
  orderBracketing,
  orderChargebackProne,
  orderCvvMismatch,
  orderDiscountStacking,
  orderDisposableEmail,
  orderExpressHighValue,
  orderExpressThenReturn,
  orderFailedPaymentAttempts,
  orderGeoAnomaly,
  orderGiftCardPayment,
  orderGiftCardRefund,
  orderGuestSharesAccount,
  orderHighAbuseSku,
  orderHighValue,
  orderHostingIp,
  orderIdentifierVelocity,
  orderIpCountryMismatch,
  orderIpFarFromAddress,
  orderManualRefundNoReturn,
  orderMultipleRefunds,
  orderNewAccountSharedIdentity,
  orderNewShippingAddress,
  orderRefundExceedsPaid,
  orderRefundExceedsReturned,
  orderRefundToOriginalPayment,
  orderRiskyFirstOrder,
  orderSharedIdentifier,
  orderShopifyRiskLevel,
  orderVelocityAnomaly,
  patternBracketingFollowThrough,
  patternEventWardrobing,
  patternExchangeChurning,
  patternFullOrderReturns,
  patternPartialReturnAfterDiscount,
  patternPriciestItemOnly,
  patternReasonMonotony,
  patternRepeatHighValueReturns,
  patternRepeatedDefectClaims,
  patternSaleItemFullCredit,
  patternSameSkuReturned,
  patternSizeSwing,
  patternVagueReason,
  patternWeekendWardrobing,
  velocityBulkReturn,
  velocityBuyReturnCycles,
  velocityFastReturn,
  velocityRefundCount30d,
  velocityRefundValue30d,
  velocityReturnBeforeDelivery,
  velocityReturnFrequencySpike,
  velocityReturnRate,
  velocityReturns30d,
  velocityReturns7d,
  velocityReturns90d,
  velocitySameDayReturnCycling,
  velocityWindowEdgeReturn,
]);

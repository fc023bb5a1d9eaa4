import type { AnySignal } from '../sdk/index.ts';
import priorChargebacks from './customer/prior-chargebacks.ts';
import trustedLongTerm from './customer/trusted-long-term.ts';
import discountStacking from './order/discount-stacking.ts';
import returnRate from './velocity/return-rate.ts';

/**
 * The built-in signal catalog, alphabetised by id. The engine receives it through a registry
 * (`createRegistry(builtinSignals)`), the same way it receives plugin signals.
 */
export const builtinSignals: readonly AnySignal[] = Object.freeze([
  priorChargebacks,
  trustedLongTerm,
  discountStacking,
  returnRate,
]);

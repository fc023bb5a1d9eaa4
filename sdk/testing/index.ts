export { SignalTester, SignalTestFailure } from './SignalTester.ts';
export type { SignalTestCase, SignalTestCases, InvalidParamsCase, SignalTesterOptions } from './SignalTester.ts';
export {
  gid,
  makeLineItem,
  makeOrder,
  makeReturn,
  makeRefund,
  makeContext,
  orderContext,
  returnContext,
  refundContext,
  emptyHistory,
  emptyBaseline,
  emptyLists,
} from './builders.ts';
export type { ContextOverrides } from './builders.ts';

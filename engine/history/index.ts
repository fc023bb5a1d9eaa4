export { ShopHistory, eventTime, HISTORY_EVENT_TYPES } from './ShopHistory.ts';
export type { HistoryEvent, Ledger } from './ShopHistory.ts';
export { contextAt } from './contextAt.ts';
export type { ContextOptions } from './contextAt.ts';
export { buildBaseline, percentiles } from './buildBaseline.ts';
export type { BaselineOptions } from './buildBaseline.ts';
export { replayHistory, sortEvents } from './replayHistory.ts';
export type { ReplayOptions, ReplayedDecision } from './replayHistory.ts';

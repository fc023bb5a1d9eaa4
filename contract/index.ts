/**
 * The API's contract: every /api request and answer the admin (web/) and the order card
 * (extensions/order-risk-card) read, one file per resource. Types only — the server's routes check
 * their answers against these (`satisfies Sendable<…>`), the clients import nothing else of ours.
 */
export type * from './alerts.ts';
export type * from './audit.ts';
export type * from './analytics.ts';
export type * from './backfill.ts';
export type * from './chargebacks.ts';
export type * from './common.ts';
export type * from './customers.ts';
export type * from './decisions.ts';
export type * from './fits.ts';
export type * from './lists.ts';
export type * from './orders.ts';
export type * from './plugins.ts';
export type * from './queue.ts';
export type * from './reasons.ts';
export type * from './refundMethods.ts';
export type * from './revisions.ts';
export type * from './rings.ts';
export type * from './rulesets.ts';
export type * from './simulations.ts';
export type * from './suggestions.ts';

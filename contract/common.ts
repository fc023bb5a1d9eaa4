import type { IdentifierKind, SubjectKind } from '../sdk/index.ts';

export type { IdentifierKind };

/** A risk zone, as every answer names it. */
export type Zone = 'low' | 'medium' | 'high';

/** What a decision is about: an order, a return or a refund. */
export type Kind = SubjectKind;

/** An instant as the JSON answer carries it: ISO 8601 (the server may hold it as a `Date`; JSON makes it a string). */
export type Instant = string;

/**
 * What the server may hand to `JSON.stringify` for an answer of shape `T`: the same shape, with a
 * `Date` allowed wherever the answer has a string (JSON turns it into an ISO string). Routes check
 * their answers with it (`answer satisfies Sendable<DecisionDetail>`), so a change on either side
 * that the other does not follow fails the type check.
 */
export type Sendable<T> = T extends string
  ? T | Date
  : T extends readonly (infer U)[]
    ? readonly Sendable<U>[]
    : T extends object
      ? { [K in keyof T]: Sendable<T[K]> }
      : T;

import type { Money, MoneyBag } from './schemaParts.ts';

/** A decimal amount (string or number, already schema-checked) as a number. */
export function toMoney(value: Money): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The shop-currency amount of a `*_set` bag, else the plain field (which REST also gives in shop currency). */
export function shopMoney(set: MoneyBag | null | undefined, fallback: Money | null | undefined): number {
  if (set) return toMoney(set.shop_money.amount);
  return fallback === undefined || fallback === null ? 0 : toMoney(fallback);
}

/** Rounds to cents, so sums of decimal amounts do not carry float noise (0.1 + 0.2). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

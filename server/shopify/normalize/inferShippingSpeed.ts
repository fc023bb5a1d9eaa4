import type { ShippingLine } from '../../../sdk/index.ts';

type Speed = NonNullable<ShippingLine['speed']>;

/** Checked in order: the first match wins, so "FedEx Standard Overnight" is overnight. */
const RULES: readonly [Speed, RegExp][] = [
  ['pickup', /\b(pick ?up|collect(ion)?|in store|curbside|will call)\b/],
  ['overnight', /\b(overnight|next day|next business day|same day|1 day|one day|24 ?h(ours?)?)\b/],
  ['express', /\b(express|expedited|priority|rush|2 ?day|two day|2nd day|second day|1 2 (business )?days?|fast|faster)\b/],
  ['standard', /\b(standard|ground|economy|regular|free shipping|basic|first class|parcel select|home delivery|media mail|[3-9] \d+ (business )?days?)\b/],
];

/**
 * The speed class of a shipping line, from its merchant-written title and carrier code
 * (e.g. "Express", "FEDEX_2_DAY", "Local pickup"). Unknown when nothing matches, as for
 * Shopify's sample "Generic Shipping".
 */
export function inferShippingSpeed(title?: string | null, code?: string | null): Speed {
  const text = `${title ?? ''} ${code ?? ''}`.toLowerCase().replace(/[_\-/&+.,()]+/g, ' ');
  for (const [speed, pattern] of RULES) if (pattern.test(text)) return speed;
  return 'unknown';
}

import { Badge } from '@shopify/polaris';
import type { Zone } from '../api.ts';

const TONE = { low: 'success', medium: 'warning', high: 'critical' } as const;

/** The risk zone as a Polaris badge, with the score when given, as a whole number (the exact one is in the decision's trace). */
export function ZoneBadge({ zone, score }: { zone: Zone; score?: number }) {
  const label = `${zone[0].toUpperCase()}${zone.slice(1)}${score === undefined ? '' : ` ${Math.round(score)}`}`;
  return (
    <span data-zone={zone}>
      <Badge tone={TONE[zone]}>{label}</Badge>
    </span>
  );
}

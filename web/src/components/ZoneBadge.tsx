import { Badge } from '@shopify/polaris';
import type { Zone } from '../api.ts';

const TONE = { low: 'success', medium: 'warning', high: 'critical' } as const;

/** The risk zone as a Polaris badge, with the score when given. */
export function ZoneBadge({ zone, score }: { zone: Zone; score?: number }) {
  const label = `${zone[0].toUpperCase()}${zone.slice(1)}${score === undefined ? '' : ` ${score}`}`;
  return (
    <span data-zone={zone}>
      <Badge tone={TONE[zone]}>{label}</Badge>
    </span>
  );
}

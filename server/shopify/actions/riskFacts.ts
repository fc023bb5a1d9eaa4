import type { Decision } from '../../../engine/decision.ts';

export type RiskFactSentiment = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

export interface RiskFact {
  sentiment: RiskFactSentiment;
  description: string;
}

/** "Up to 20 facts"; longer descriptions are truncated by Shopify at 256 characters (FACTS 4.3). */
export const MAX_RISK_FACTS = 20;
export const MAX_FACT_DESCRIPTION = 256;

const ZONE_SENTIMENT: Record<Decision['zone'], RiskFactSentiment> = { high: 'NEGATIVE', medium: 'NEUTRAL', low: 'POSITIVE' };

/**
 * The facts of a risk assessment: first the score and zone, then the signals that moved the
 * score, largest |points| first. Positive points add risk (NEGATIVE sentiment), negative points
 * are trust (POSITIVE). At most 20 facts, each at most 256 characters.
 */
export function riskFacts(decision: Decision): RiskFact[] {
  const summary: RiskFact = {
    sentiment: ZONE_SENTIMENT[decision.zone],
    description: truncate(
      `RefundSentry score ${formatNumber(decision.score)}, ${decision.zone.toUpperCase()} risk (ruleset ${decision.ruleset.id} v${decision.ruleset.version})`,
    ),
  };
  const signals = decision.signals
    .filter((signal) => signal.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.id.localeCompare(b.id))
    .slice(0, MAX_RISK_FACTS - 1)
    .map(
      (signal): RiskFact => ({
        sentiment: signal.points > 0 ? 'NEGATIVE' : 'POSITIVE',
        description: truncate(`${signal.points > 0 ? '+' : ''}${formatNumber(signal.points)} pts: ${signal.message} (${signal.id})`),
      }),
    );
  return [summary, ...signals];
}

function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Cuts by code points (not UTF-16 units) so no surrogate pair is split, ending with an ellipsis. */
function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_FACT_DESCRIPTION ? text : `${chars.slice(0, MAX_FACT_DESCRIPTION - 1).join('')}…`;
}

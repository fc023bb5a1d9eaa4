import '@shopify/ui-extensions/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fetchRiskCard, ZONE_TONE, type OrderRiskCard } from './riskCard.ts';

export default async () => {
  render(<RiskCard />, document.body);
};

type State = { status: 'loading' } | { status: 'missing' } | { status: 'failed'; message: string } | { status: 'ready'; card: OrderRiskCard };

/** Score, zone, the signals that weighed most, the customer's history and what to do, for the order being viewed. */
function RiskCard() {
  const orderGid = shopify.data.selected[0]?.id;
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    if (!orderGid) return setState({ status: 'missing' });
    fetchRiskCard(orderGid).then(
      (card) => setState(card ? { status: 'ready', card } : { status: 'missing' }),
      (error: Error) => setState({ status: 'failed', message: error.message }),
    );
  }, [orderGid]);

  if (state.status === 'loading') return <s-admin-block heading="RefundSentry risk"><s-spinner accessibilityLabel="Loading the risk score" /></s-admin-block>;
  if (state.status === 'missing') return <s-admin-block heading="RefundSentry risk"><s-text>RefundSentry has not seen this order yet.</s-text></s-admin-block>;
  if (state.status === 'failed') return <s-admin-block heading="RefundSentry risk"><s-banner tone="critical">{state.message}</s-banner></s-admin-block>;

  const { card } = state;
  const { decision, customer, topSignals } = card;
  return (
    <s-admin-block heading="RefundSentry risk" collapsedSummary={decision ? `${decision.zone.toUpperCase()} ${decision.score}` : 'not scored'}>
      <s-stack gap="base">
        {decision ? (
          <s-stack direction="inline" gap="small-200">
            <s-badge tone={ZONE_TONE[decision.zone]}>{`${decision.zone.toUpperCase()} risk`}</s-badge>
            <s-text type="strong">{`${decision.score} / 100`}</s-text>
          </s-stack>
        ) : null}
        <s-paragraph>{card.recommendation}</s-paragraph>
        {topSignals.length > 0 ? (
          <s-unordered-list>
            {topSignals.map((s) => <s-list-item key={s.id}>{`+${s.points} ${s.message}`}</s-list-item>)}
          </s-unordered-list>
        ) : null}
        {customer ? (
          <s-text color="subdued">{`Customer: ${customer.orders} order(s), ${customer.returns} return(s), ${customer.refunds} refund(s), ${customer.chargebacks} chargeback(s)${customer.highDecisions ? `, ${customer.highDecisions} HIGH decision(s)` : ''}`}</s-text>
        ) : <s-text color="subdued">Guest checkout.</s-text>}
        {card.chargebackRisk ? <s-text color="subdued">{card.chargebackRisk.explanation}</s-text> : null}
        {decision ? <s-link href={`app:decisions/${decision.id}`}>Open in RefundSentry</s-link> : null}
      </s-stack>
    </s-admin-block>
  );
}

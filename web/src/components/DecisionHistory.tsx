import { Badge, Banner, BlockStack, Box, Button, Card, Divider, InlineStack, Modal, Text } from '@shopify/polaris';
import { useState } from 'react';
import type { DecisionAction, DecisionDetail } from '../api.ts';
import { actionState, actionTitle } from './actions.ts';
import { dateTime } from './format.ts';
import { revisionGroups, triggerText } from './revisions.ts';
import { ZoneBadge } from './ZoneBadge.tsx';

export interface DecisionHistoryProps {
  detail: DecisionDetail;
  /** Releases a hold this app placed (`POST /api/actions/{id}/release`), then reloads the decision. */
  release(holdActionId: string): void;
  /** A release under way. */
  releasing: boolean;
  /** Opens the audit log filtered to this decision's subject. */
  openAudit?(): void;
}

/**
 * A decision's history, newest first: each revision's zone and score, when it was made, what
 * triggered it, the sentence saying what changed, the actions it chose, and — when a revision
 * lowered the zone — its proposal to release the hold the app placed (asked for confirmation).
 */
export function DecisionHistory({ detail, release, releasing, openAudit }: DecisionHistoryProps) {
  const groups = revisionGroups(detail);
  // A trigger naming this decision's own order says "this order (#1001)", not its number.
  const order = detail.facts?.order;
  const own = order ? { id: order.id, name: `this order${order.name ? ` (${order.name})` : ''}` } : undefined;
  // The hold to release once confirmed: a revision's proposal, or a placed hold's own Release button.
  const [confirming, setConfirming] = useState<{ holdActionId: string }>();
  const revised = groups.length > 1;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">History</Text>
          {openAudit ? <Button variant="plain" onClick={openAudit}>Audit log</Button> : null}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {revised
            ? `Revised ${groups.length - 1 === 1 ? 'once' : `${groups.length - 1} times`} as new facts arrived; newest first. Each revision saw only what was known at its trigger.`
            : 'Decided once; no new fact has changed it since.'}
        </Text>
        {detail.holdout ? (
          <Banner tone="info" title="Held out">
            <p>This HIGH decision is in the holdout sample: its actions were not executed, so that what the rules prevent can be measured.</p>
          </Banner>
        ) : null}
        <ol id="decision-history" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {groups.map((g, i) => (
            <li key={g.revision.revision} data-revision={g.revision.revision} data-zone={g.revision.zone}>
              {i > 0 ? <Box paddingBlock="300"><Divider /></Box> : null}
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Text as="h3" variant="headingSm">{g.revision.revision === 0 ? 'First decision' : `Revision ${g.revision.revision}`}</Text>
                  <ZoneBadge zone={g.revision.zone} score={g.revision.score} />
                  {g.current ? <Badge tone="info">Current</Badge> : null}
                  <Text as="span" variant="bodySm" tone="subdued">{`made ${dateTime(g.revision.madeAt)}`}</Text>
                </InlineStack>
                <Text as="p">
                  <Text as="span" fontWeight="semibold">{g.revision.trigger ? 'Trigger: ' : ''}</Text>
                  {g.revision.trigger ? `${triggerText(g.revision.trigger, own)}, on ${dateTime(g.revision.trigger.at)}.` : `Decided with what was known at ${dateTime(g.revision.knownAt)}.`}
                </Text>
                {g.revision.change ? (
                  <div data-change style={{ whiteSpace: 'normal' }}>
                    <Text as="p">{g.revision.change}</Text>
                  </div>
                ) : null}
                <Text as="p" variant="bodySm" tone="subdued">{`Ruleset ${g.revision.ruleset.id} v${g.revision.ruleset.version}`}</Text>
                {g.proposals.map((p) => (
                  <Banner key={p.action.id} tone="warning" title="RefundSentry proposes releasing the hold it placed">
                    <BlockStack gap="200">
                      <p>
                        {`This revision lowered the risk to ${g.revision.zone.toUpperCase()}. The fulfilment hold RefundSentry placed${p.hold ? ` (${p.hold.revision === 0 ? 'first decision' : `revision ${p.hold.revision}`})` : ''} still keeps the order from shipping. Nothing is released until you do it.`}
                      </p>
                      <InlineStack>
                        <Button loading={releasing} onClick={() => setConfirming(p)}>Release the hold…</Button>
                      </InlineStack>
                    </BlockStack>
                  </Banner>
                ))}
                <ActionList actions={g.actions} release={(holdActionId) => setConfirming({ holdActionId })} releasing={releasing} holdout={detail.holdout === true} />
              </BlockStack>
            </li>
          ))}
        </ol>
      </BlockStack>
      {confirming ? (
        <Modal
          open
          onClose={() => setConfirming(undefined)}
          title="Release the hold RefundSentry placed?"
          primaryAction={{
            content: 'Release hold',
            loading: releasing,
            onAction: () => {
              release(confirming.holdActionId);
              setConfirming(undefined);
            },
          }}
          secondaryActions={[{ content: 'Keep the hold', onAction: () => setConfirming(undefined) }]}
        >
          <Modal.Section>
            <Text as="p">The order's fulfilment orders are released in Shopify and it can ship. The release is recorded in the audit log under your name.</Text>
          </Modal.Section>
        </Modal>
      ) : null}
    </Card>
  );
}

/** The actions a revision chose, in words with their real state ("Fulfilment hold — placed"), with Release hold… on a placed hold. */
function ActionList({ actions, release, releasing, holdout }: { actions: DecisionAction[]; release(id: string): void; releasing: boolean; holdout: boolean }) {
  if (actions.length === 0) return <Text as="p" variant="bodySm" tone="subdued">{holdout ? 'No action executed (held out).' : 'No action chosen by this revision.'}</Text>;
  return (
    <BlockStack gap="100">
      {actions.map((a) => {
        const state = actionState(a);
        return (
          <InlineStack key={a.id} align="space-between" blockAlign="center" gap="200">
            <div data-action-type={a.type} style={{ minWidth: 0, flex: '1 1 240px' }}>
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">{actionTitle(a)}</Text>
                  <Badge tone={state.tone}>{state.label}</Badge>
                </InlineStack>
                {state.reason ? <Text as="span" variant="bodySm" tone="subdued">{state.reason}</Text> : null}
              </BlockStack>
            </div>
            {a.type === 'fulfillment.hold' && a.status === 'done' ? (
              <Button size="slim" loading={releasing} onClick={() => release(a.id)}>Release hold…</Button>
            ) : null}
          </InlineStack>
        );
      })}
    </BlockStack>
  );
}

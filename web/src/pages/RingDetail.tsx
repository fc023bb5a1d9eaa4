import { Badge, BlockStack, Card, IndexTable, InlineStack, Layout, Link, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { useNavigate, useParams } from 'react-router-dom';
import type { IdentifierKind, RingDetail as Ring, RingList } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, dateTime, gidLabel, orderLabel } from '../components/format.ts';
import { KIND_COLOURS, RingNetwork, ZONE_COLOURS } from '../components/RingNetwork.tsx';
import { useApi } from '../components/useApi.ts';
import { ZoneBadge } from '../components/ZoneBadge.tsx';
import { AlertTable, KIND_LABEL, ringLabel, scoreTone } from './Rings.tsx';

const POINT_LABELS: Record<string, string> = { size: 'Members', links: 'Several kinds shared per link', returns: 'Return rate above the shop’s', chargebacks: 'Members with chargebacks', fraud: 'Members with confirmed fraud' };

function Swatch({ colour, label }: { colour: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 6, background: colour }} />
      <Text as="span" variant="bodySm">{label}</Text>
    </InlineStack>
  );
}

/** One ring: the network (members coloured by risk, links by kind; click a member for their profile), score parts, members, alerts. */
export function RingDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const ring = useApi<Ring>(`/api/rings/${encodeURIComponent(id)}`);
  const maxPoints = useApi<RingList>('/api/rings?limit=1').data?.scoring.maxPoints;
  const r = ring.data;
  const open = (memberKey: string) => {
    const member = r?.memberList.find((m) => m.key === memberKey);
    if (member?.customerId) navigate(`/customers/${encodeURIComponent(member.customerId)}`);
  };
  const kinds = Object.keys(r?.linksByKind ?? {}) as IdentifierKind[];
  return (
    <Page
      backAction={{ content: 'Fraud rings', onAction: () => navigate('/rings') }}
      title={r ? `Ring of ${count(r.members, 'member')} around ${ringLabel(r)}` : 'Ring'}
      titleMetadata={r ? <Badge tone={scoreTone(r.score)}>{`Score ${Math.round(r.score)}`}</Badge> : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ErrorBanner error={ring.error} onRetry={ring.reload} title="The ring could not be loaded" />
            {!r && ring.loading ? <Card><SkeletonBodyText lines={10} /></Card> : null}
            {r ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Network</Text>
                  <InlineStack gap="300">
                    <Swatch colour={ZONE_COLOURS.high} label="high risk" />
                    <Swatch colour={ZONE_COLOURS.medium} label="medium" />
                    <Swatch colour={ZONE_COLOURS.low} label="low" />
                    <Swatch colour={ZONE_COLOURS.none} label="not scored" />
                    <Text as="span" variant="bodySm" tone="subdued">·</Text>
                    {kinds.map((k) => <Swatch key={k} colour={KIND_COLOURS[k]} label={`${KIND_LABEL[k] ?? k} · ${count(r.linksByKind[k] ?? 0, 'link')}`} />)}
                  </InlineStack>
                  <RingNetwork ring={r} onSelect={open} />
                  <Text as="p" variant="bodySm" tone="subdued">Click a member to open their profile; drag to rearrange, scroll to zoom.</Text>
                </BlockStack>
              </Card>
            ) : null}
            {r ? (
              <Card padding="0">
                <IndexTable
                  resourceName={{ singular: 'member', plural: 'members' }}
                  itemCount={r.memberList.length}
                  selectable={false}
                  headings={[{ title: 'Member' }, { title: 'Risk' }, { title: 'Orders' }, { title: 'Returned' }, { title: 'Chargebacks' }, { title: 'Fraud' }, { title: 'First order' }]}
                >
                  {r.memberList.map((m, index) => (
                    <IndexTable.Row id={m.key} key={m.key} position={index}>
                      <IndexTable.Cell>
                        {m.customerId ? <Link dataPrimaryLink url={`/customers/${encodeURIComponent(m.customerId)}`} monochrome removeUnderline>{gidLabel(m.customerId)}</Link> : `Guest order ${orderLabel(m.guestOrderName, m.guestOrderId)}`}
                      </IndexTable.Cell>
                      <IndexTable.Cell>{m.zone ? <ZoneBadge zone={m.zone} score={m.lastScore ?? undefined} /> : '—'}</IndexTable.Cell>
                      <IndexTable.Cell>{m.orders}</IndexTable.Cell>
                      <IndexTable.Cell>{m.returnedOrders}</IndexTable.Cell>
                      <IndexTable.Cell>{m.chargebacks}</IndexTable.Cell>
                      <IndexTable.Cell>{m.fraudLabels}</IndexTable.Cell>
                      <IndexTable.Cell>{m.firstOrderAt ? dateTime(m.firstOrderAt) : '—'}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </Card>
            ) : null}
            {r && r.alerts.length > 0 ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Alerts for this ring</Text>
                  <AlertTable alerts={r.alerts} />
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          {r ? (
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">Why this score</Text>
                {Object.entries(r.components.points).map(([part, points]) => (
                  <InlineStack key={part} align="space-between">
                    <Text as="span">{POINT_LABELS[part] ?? part}</Text>
                    <Text as="span" fontWeight="semibold">{maxPoints ? `${Math.round(points)} of ${count(Math.round(maxPoints[part as keyof typeof maxPoints]), 'point')}` : count(Math.round(points), 'point')}</Text>
                  </InlineStack>
                ))}
                <Text as="p" variant="bodySm" tone="subdued">
                  {`${count(r.components.members, 'member')}, ${count(r.components.links, 'link')} (${r.components.strongLinks} sharing several kinds), ${count(r.components.orders, 'order')}, ${r.components.returnedOrders} with a return (${(r.components.returnRate * 100).toFixed(0)}% against the shop's ${(r.components.shopReturnRate * 100).toFixed(0)}%), ${count(r.components.chargebacks, 'chargeback')} from ${count(r.components.chargebackMembers, 'member')}, ${count(r.components.fraudLabels, 'outcome')} confirmed as fraud.`}
                </Text>
                {r.lastOrderAt ? <Text as="p" variant="bodySm" tone="subdued">{`Orders from ${dateTime(r.firstOrderAt!)} to ${dateTime(r.lastOrderAt)}`}</Text> : null}
              </BlockStack>
            </Card>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

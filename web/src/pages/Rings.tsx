import { Badge, Banner, BlockStack, Card, EmptyState, IndexTable, InlineStack, Link, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { useState } from 'react';
import { api, type RingAlert, type RingAlerts, type RingList, type RingSummary } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { count, dateTime, gidLabel, orderLabel } from '../components/format.ts';
import { useApi } from '../components/useApi.ts';

/** A ring score's tone, on the zones' scale. */
export function scoreTone(score: number): 'critical' | 'warning' | 'success' {
  return score >= 66 ? 'critical' : score >= 31 ? 'warning' : 'success';
}

export const KIND_LABEL: Record<string, string> = { address: 'address', device: 'device', payment: 'payment', email: 'email', phone: 'phone', ip: 'IP' };

/** A ring by its first member: "Customer 123", or "Guest order #1001" (never a GID). */
export function ringLabel(ring: Pick<RingSummary, 'key' | 'keyOrderName'>): string {
  const id = ring.key.slice(ring.key.indexOf(':') + 1);
  return ring.key.startsWith('guest:') ? `Guest order ${orderLabel(ring.keyOrderName, id)}` : gidLabel(id);
}

/** Fraud rings: customers linked by shared identifier hashes, highest score first; alerts from new orders; rebuild on demand. */
export function Rings() {
  const list = useApi<RingList>('/api/rings', 3000);
  const alerts = useApi<RingAlerts>('/api/rings/alerts', 5000);
  const [rebuilding, setRebuilding] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const data = list.data;
  const rebuild = async () => {
    setRebuilding(true);
    setFailure(undefined);
    try {
      await api('/api/rings/rebuild', { method: 'POST' });
      list.reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setRebuilding(false);
    }
  };
  const build = data?.build;
  const busy = build?.status === 'queued' || build?.status === 'running';
  return (
    <Page
      title="Fraud rings"
      subtitle="Customers linked by a shared address, device, payment method, email, phone or IP (keyed hashes: no raw details are stored)"
      primaryAction={{ content: busy ? 'Rebuilding…' : 'Rebuild now', onAction: rebuild, loading: rebuilding, disabled: busy }}
    >
      <BlockStack gap="400">
        <ErrorBanner error={list.error} onRetry={list.reload} title="The rings could not be loaded" />
        <ErrorBanner error={failure} title="The rebuild could not be started" />
        {build?.status === 'failed' ? <Banner tone="critical" title="The last rebuild failed"><p>{build.error}</p></Banner> : null}
        {build && build.status !== 'never' ? (
          <div data-testid="ring-build" data-status={build.status}><Text as="p" tone="subdued">
            {busy ? `Rebuild ${build.status}…` : `Built ${build.finishedAt ? dateTime(build.finishedAt) : ''}`}
            {build.stats ? ` · ${count(build.stats.linkedCustomers, 'linked customer')} · ${count(build.stats.hubIdentifiers, 'hub identifier')} ignored (shared by more than ${build.stats.maxSharedWith + 1} customers) · shop return rate ${(build.stats.shopReturnRate * 100).toFixed(1)}%` : ''}
          </Text></div>
        ) : null}
        {!data && list.loading ? <Card><SkeletonBodyText lines={6} /></Card> : null}
        {data && data.rings.length === 0 ? (
          <Card>
            <EmptyState heading={build?.status === 'never' ? 'Rings have not been built yet' : 'No rings found'} image="">
              <p>{build?.status === 'never' ? 'They are built after the history backfill and every six hours; rebuild now to build them at once.' : 'No customers share identifiers with each other (hubs such as a shared warehouse address are ignored).'}</p>
            </EmptyState>
          </Card>
        ) : null}
        {data && data.rings.length > 0 ? (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: 'ring', plural: 'rings' }}
              itemCount={data.rings.length}
              selectable={false}
              headings={[{ title: 'Ring' }, { title: 'Score' }, { title: 'Members' }, { title: 'Linked by' }, { title: 'Chargebacks' }, { title: 'Confirmed fraud' }, { title: 'Return rate' }, { title: 'Last order' }]}
            >
              {data.rings.map((ring, index) => (
                <IndexTable.Row id={ring.id} key={ring.id} position={index}>
                  <IndexTable.Cell><Link dataPrimaryLink url={`/rings/${ring.id}`} monochrome removeUnderline><span data-ring-id={ring.id}>{ringLabel(ring)}</span></Link></IndexTable.Cell>
                  <IndexTable.Cell><Badge tone={scoreTone(ring.score)}>{String(Math.round(ring.score))}</Badge></IndexTable.Cell>
                  <IndexTable.Cell>{ring.members}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      {Object.entries(ring.components.linksByKind).map(([kind, n]) => <Badge key={kind}>{`${KIND_LABEL[kind] ?? kind} · ${count(n, 'link')}`}</Badge>)}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{ring.components.chargebacks === 0 ? '0' : `${ring.components.chargebacks} from ${count(ring.components.chargebackMembers, 'member')}`}</IndexTable.Cell>
                  <IndexTable.Cell>{ring.components.fraudLabels}</IndexTable.Cell>
                  <IndexTable.Cell>{`${(ring.components.returnRate * 100).toFixed(0)}% (shop: ${(ring.components.shopReturnRate * 100).toFixed(0)}%)`}</IndexTable.Cell>
                  <IndexTable.Cell>{ring.lastOrderAt ? dateTime(ring.lastOrderAt) : '—'}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        ) : null}
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">Alerts: new orders matching a ring</Text>
            {alerts.data && alerts.data.alerts.length === 0 ? <Text as="p" tone="subdued">No new order has matched a known ring.</Text> : null}
            {alerts.data && alerts.data.alerts.length > 0 ? <AlertTable alerts={alerts.data.alerts} /> : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

export function AlertTable({ alerts }: { alerts: RingAlert[] }) {
  return (
    <IndexTable
      resourceName={{ singular: 'alert', plural: 'alerts' }}
      itemCount={alerts.length}
      selectable={false}
      headings={[{ title: 'Order' }, { title: 'Customer' }, { title: 'Matched' }, { title: 'Ring' }, { title: 'When' }]}
    >
      {alerts.map((a, index) => (
        <IndexTable.Row id={a.id} key={a.id} position={index}>
          <IndexTable.Cell><span data-alert-order={a.orderId}>{orderLabel(a.orderName, a.orderId)}</span></IndexTable.Cell>
          <IndexTable.Cell>{a.customerId ? `${gidLabel(a.customerId)}${a.member ? ' (member)' : ' (new)'}` : 'guest'}</IndexTable.Cell>
          <IndexTable.Cell><InlineStack gap="100">{a.matched.map((k) => <Badge key={k} tone="attention">{KIND_LABEL[k] ?? k}</Badge>)}</InlineStack></IndexTable.Cell>
          <IndexTable.Cell>
            {a.ringId ? (
              <Link dataPrimaryLink url={`/rings/${a.ringId}`} removeUnderline accessibilityLabel={`Open the ring: score ${Math.round(a.ringScore)} · ${count(a.ringMembers, 'member')}`}>
                <Badge tone={scoreTone(a.ringScore)}>{`${Math.round(a.ringScore)} · ${count(a.ringMembers, 'member')}`}</Badge>
              </Link>
            ) : <Badge tone={scoreTone(a.ringScore)}>{`${Math.round(a.ringScore)} · ${count(a.ringMembers, 'member')}`}</Badge>}
          </IndexTable.Cell>
          <IndexTable.Cell>{dateTime(a.orderAt)}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

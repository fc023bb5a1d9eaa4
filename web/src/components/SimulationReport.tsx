import { Badge, BlockStack, Button, Card, DataTable, IndexTable, InlineGrid, InlineStack, Modal, Text } from '@shopify/polaris';
import { useState } from 'react';
import type { Flip, MoneyAtHigh, SimulationReport as Report, Zone } from '../api.ts';

export type { Flip, Report };
import { dateTime, gidLabel, kindLabel } from './format.ts';
import { ZoneBadge } from './ZoneBadge.tsx';
import { CalibrationTable } from './CalibrationTable.tsx';

type FlipSide = Flip['before'];

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const money = (v: number) => v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
/** Reports stored before calibration, AUC and money were added lack them. */
const NOT_IN_REPORT = 'Not in this report (it was stored before they were added): simulate again to see them.';
const share = (part: number, whole: number) => (whole > 0 ? `${money(part)} (${((part / whole) * 100).toFixed(part === 0 || part === whole ? 0 : 1)}%)` : money(part));
const moneyRow = (row: MoneyAtHigh) => [
  `${row.label === 'fraud' ? 'Fraud' : 'Legit'} ${row.kind}s (${count(row.subjects)})`,
  money(row.value),
  share(row.before, row.value),
  share(row.after, row.value),
];
const delta = (before: number, after: number) => (after === before ? '0' : `${after > before ? '+' : ''}${after - before}`);

function SideColumn({ title, side }: { title: string; side: FlipSide }) {
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">{title}</Text>
        <ZoneBadge zone={side.zone} score={side.score} />
      </InlineStack>
      {side.signals.length === 0 ? <Text as="p" tone="subdued">No signal fired.</Text> : null}
      {side.signals.map((s) => (
        <Text as="p" variant="bodySm" key={s.id}>{`${s.points > 0 ? '+' : ''}${s.points} ${s.id}: ${s.message}`}</Text>
      ))}
      <Text as="p" variant="bodySm" tone="subdued">{side.actions.length ? `Actions: ${side.actions.join(', ')}` : 'No action'}</Text>
    </BlockStack>
  );
}

/** A simulator report: zones, quality (with AUC), calibration and money in HIGH among labelled subjects, outcomes of the changes, signal and action hits, and the flips (each opening its two traces). */
export function SimulationReport({ report, onExport }: { report: Report; onExport?: () => void }) {
  const [open, setOpen] = useState<Flip>();
  const zones: Zone[] = ['high', 'medium', 'low'];
  return (
    <BlockStack gap="400">
      <Text as="p" tone="subdued">
        {`${report.subjects.toLocaleString('en')} orders, returns and refunds from ${report.window.from.slice(0, 10)} to ${report.window.to.slice(0, 10)}; ${count(report.flips.length)} ${report.flips.length === 1 ? 'changes' : 'change'} zone. Subjects after ${report.immatureFrom.slice(0, 10)} are too recent for their chargebacks to be known.`}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <Text as="h3" variant="headingSm">Zones</Text>
          <DataTable
            columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
            headings={['Zone', 'Live', 'This version', 'Change']}
            rows={zones.map((z) => [<ZoneBadge key={z} zone={z} />, count(report.zones.before[z]), count(report.zones.after[z]), delta(report.zones.before[z], report.zones.after[z])])}
          />
        </Card>
        <Card>
          <Text as="h3" variant="headingSm">Against labelled outcomes (HIGH as the call)</Text>
          <DataTable
            columnContentTypes={['text', 'numeric', 'numeric']}
            headings={['', 'Live', 'This version']}
            rows={[
              ['Precision', pct(report.quality.before.precision), pct(report.quality.after.precision)],
              ['Recall', pct(report.quality.before.recall), pct(report.quality.after.recall)],
              ['F1', pct(report.quality.before.f1), pct(report.quality.after.f1)],
              ...(report.auc ? [['AUC (fraud scored above legit)', pct(report.auc.before), pct(report.auc.after)]] : []),
              ['Labelled', count(report.quality.before.labelled), count(report.quality.after.labelled)],
            ]}
          />
          {report.auc ? null : <Text as="p" variant="bodySm" tone="subdued">{`AUC: ${NOT_IN_REPORT}`}</Text>}
        </Card>
      </InlineGrid>
      <Card>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">Calibration: fraud rate by score</Text>
          {report.calibration ? (
            <CalibrationTable
              columns={[{ title: 'Live', bands: report.calibration.before }, { title: 'This version', bands: report.calibration.after }]}
              caption={report.quality.before.labelled > 0 ? `The ${plural(report.quality.before.labelled, 'labelled subject')} above, by the score each version gives them.` : undefined}
            />
          ) : (
            <Text as="p" tone="subdued">{NOT_IN_REPORT}</Text>
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">Money in HIGH among labelled subjects</Text>
          {report.money ? (
            <div data-testid="simulation-money">
              <Text as="p" variant="bodySm" tone="subdued">
                {'Fraud caught and legit held up: order totals, returned items, refund amounts. Kinds are kept apart, since an order, its return and its refund are the same money.' +
                  (report.money.unvalued > 0 ? ` ${plural(report.money.unvalued, 'labelled subject')} with no known value left out.` : '')}
              </Text>
              {report.money.rows.length === 0 ? (
                <Text as="p" tone="subdued">No subject with a known outcome yet.</Text>
              ) : (
                <DataTable
                  columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
                  headings={['', 'Value', 'Live', 'This version']}
                  rows={report.money.rows.map(moneyRow)}
                />
              )}
            </div>
          ) : (
            <Text as="p" tone="subdued">{NOT_IN_REPORT}</Text>
          )}
        </BlockStack>
      </Card>
      <Card>
        <Text as="h3" variant="headingSm">What the changes catch and cost</Text>
        <DataTable
          columnContentTypes={['text', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric']}
          headings={['', 'Subjects', 'Chargebacks', 'Confirmed fraud', 'Confirmed legit', 'Refunds', 'Holds']}
          rows={[
            ['Newly HIGH', report.newlyFlagged.subjects, `${report.newlyFlagged.chargebacks.count} (${money(report.newlyFlagged.chargebacks.amount)})`, report.newlyFlagged.fraud, report.newlyFlagged.legit, `${report.newlyFlagged.refunds.count} (${money(report.newlyFlagged.refunds.amount)})`, report.newlyFlagged.holds],
            ['No longer HIGH', report.newlyCleared.subjects, `${report.newlyCleared.chargebacks.count} (${money(report.newlyCleared.chargebacks.amount)})`, report.newlyCleared.fraud, report.newlyCleared.legit, `${report.newlyCleared.refunds.count} (${money(report.newlyCleared.refunds.amount)})`, report.newlyCleared.holds],
          ]}
        />
      </Card>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <Text as="h3" variant="headingSm">Signals that fired</Text>
          <DataTable columnContentTypes={['text', 'numeric', 'numeric']} headings={['Signal', 'Live', 'This version']} rows={report.signals.slice(0, 15).map((s) => [s.id, s.before, s.after])} />
        </Card>
        <Card>
          <Text as="h3" variant="headingSm">Actions chosen</Text>
          <DataTable columnContentTypes={['text', 'numeric', 'numeric']} headings={['Action', 'Live', 'This version']} rows={report.actions.map((a) => [a.type, a.before, a.after])} />
        </Card>
      </InlineGrid>
      <Card padding="0">
        <div style={{ padding: 16 }}>
          <InlineStack align="space-between">
            <Text as="h3" variant="headingSm">{`Zone changes (${report.flips.length})`}</Text>
            {onExport ? <Button onClick={onExport}>Export CSV</Button> : null}
          </InlineStack>
        </div>
        <div data-testid="simulation-flips">
        <IndexTable
          resourceName={{ singular: 'change', plural: 'changes' }}
          itemCount={report.flips.length}
          selectable={false}
          headings={[{ title: 'Subject' }, { title: 'When' }, { title: 'Live' }, { title: 'This version' }, { title: 'Known' }]}
        >
          {report.flips.slice(0, 200).map((f, i) => (
            <IndexTable.Row id={f.subjectId} key={f.subjectId} position={i} onClick={() => setOpen(f)}>
              <IndexTable.Cell>{`${kindLabel(f.kind)} ${gidLabel(f.subjectId).split(' ')[1]}`}</IndexTable.Cell>
              <IndexTable.Cell>{dateTime(f.at)}</IndexTable.Cell>
              <IndexTable.Cell><ZoneBadge zone={f.before.zone} score={f.before.score} /></IndexTable.Cell>
              <IndexTable.Cell><ZoneBadge zone={f.after.zone} score={f.after.score} /></IndexTable.Cell>
              <IndexTable.Cell>
                {f.label ? <Badge tone={f.label === 'fraud' ? 'critical' : 'success'}>{f.label}</Badge> : null}
                {f.immature ? <Badge>too recent</Badge> : null}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        </div>
      </Card>
      {open ? (
        <Modal open onClose={() => setOpen(undefined)} title={`${kindLabel(open.kind)} ${gidLabel(open.subjectId).split(' ')[1]}: why the zone changes`} size="large">
          <Modal.Section>
            <InlineGrid columns={2} gap="400">
              <SideColumn title="Live" side={open.before} />
              <SideColumn title="This version" side={open.after} />
            </InlineGrid>
          </Modal.Section>
        </Modal>
      ) : null}
    </BlockStack>
  );
}

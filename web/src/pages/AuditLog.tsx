import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, type AuditEntry, type AuditPage } from '../api.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { dateTime, gidLabel } from '../components/format.ts';
import { auditDetails } from '../components/revisions.ts';

const PAGE = 50;

/** The action families a merchant filters by (the API matches an action or its family). */
const ACTIONS = [
  { label: 'Every action', value: '' },
  { label: 'Decisions revised by RefundSentry', value: 'decision.revise' },
  { label: 'Outcome labels', value: 'outcome.label' },
  { label: 'Hold releases', value: 'hold.release' },
  { label: 'Rulesets (publish, rollback, fit, …)', value: 'ruleset' },
  { label: 'Block/allow lists', value: 'lists' },
  { label: 'Snoozes', value: 'snooze' },
  { label: 'Alert rules', value: 'alert' },
  { label: 'Holdout share', value: 'holdout.set' },
  { label: 'GDPR requests', value: 'gdpr' },
];

/** Who did it, in words: the app itself, Shopify, or a staff member's id. */
function actorLabel(actor: string) {
  if (actor === 'refundsentry') return <Badge tone="info">RefundSentry</Badge>;
  if (actor === 'shopify') return <Badge>Shopify</Badge>;
  if (actor === 'system') return <Badge>System</Badge>;
  return <Text as="span">{actor}</Text>;
}

/**
 * The shop's audit log (`GET /api/audit`), newest first: revisions the app made by itself, labels,
 * hold releases, publishes, …; filtered by subject (from the URL's `?subject=`, the decision page's
 * link) and by action, a page at a time with "Load more" (keyset on the row id).
 */
export function AuditLog() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const subject = params.get('subject') ?? '';
  const action = params.get('action') ?? '';
  const [typed, setTyped] = useState(subject);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  // The filters a load was asked for: an answer for older filters is dropped.
  const asked = useRef('');

  const load = useCallback(
    async (before: string | null) => {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (subject) query.set('subject', subject);
      if (action) query.set('action', action);
      const key = query.toString();
      if (before) query.set('before', before);
      asked.current = key;
      setLoading(true);
      try {
        const page = await api<AuditPage>(`/api/audit?${query.toString()}`);
        if (asked.current !== key) return;
        setEntries((shown) => (before ? [...shown, ...page.entries] : page.entries));
        setNext(page.next);
        setError(undefined);
      } catch (failure) {
        if (asked.current !== key) return;
        if (!before) setEntries([]);
        setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure)));
      } finally {
        if (asked.current === key) setLoading(false);
      }
    },
    [subject, action],
  );

  useEffect(() => {
    setTyped(subject);
    void load(null);
  }, [load, subject]);

  const filter = (changes: { subject?: string; action?: string }) => {
    const wanted = { subject, action, ...changes };
    const search = new URLSearchParams();
    if (wanted.subject.trim()) search.set('subject', wanted.subject.trim());
    if (wanted.action) search.set('action', wanted.action);
    setParams(search);
  };

  return (
    <Page title="Audit log" subtitle="Who did what, and what RefundSentry changed by itself, newest first">
      <BlockStack gap="400">
        <Card>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              filter({ subject: typed });
            }}
          >
            <InlineStack gap="300" blockAlign="end" wrap={false}>
              <div style={{ flex: 1 }}>
                <TextField label="Subject" value={typed} onChange={setTyped} autoComplete="off" placeholder="gid://shopify/Order/123, v3, an action id…" clearButton onClearButtonClick={() => filter({ subject: '' })} />
              </div>
              <Select label="Action" options={ACTIONS} value={action} onChange={(value) => filter({ action: value })} />
              <Button submit>Filter</Button>
            </InlineStack>
          </form>
        </Card>
        <ErrorBanner error={error} title="The audit log could not be loaded" onRetry={() => void load(null)} />
        {loading && entries.length === 0 && !error ? (
          <Card>
            <SkeletonBodyText lines={6} />
          </Card>
        ) : null}
        {!loading && !error && entries.length === 0 ? (
          <Card>
            <Text as="p" tone="subdued">{subject || action ? 'Nothing in the log matches these filters.' : 'Nothing in the log yet.'}</Text>
          </Card>
        ) : null}
        {entries.length > 0 ? (
          <Card padding="0">
            <div id="audit-log">
              <DataTable
                columnContentTypes={['text', 'text', 'text', 'text', 'text']}
                headings={['When', 'Who', 'Action', 'Subject', 'Details']}
                rows={entries.map((e) => [
                  <span key="at" data-audit-id={e.id}>{dateTime(e.at)}</span>,
                  actorLabel(e.actor),
                  <Text key="action" as="span" fontWeight="semibold">{e.action}</Text>,
                  e.subject ? (
                    <Button key="subject" variant="plain" onClick={() => filter({ subject: e.subject! })}>{gidLabel(e.subject)}</Button>
                  ) : (
                    <Text key="subject" as="span" tone="subdued">the shop</Text>
                  ),
                  <div key="details" style={{ whiteSpace: 'normal', minWidth: 280, maxWidth: 520 }}>
                    <BlockStack gap="100">
                      <Text as="span" variant="bodySm">{auditDetails(e.action, e.details)}</Text>
                      {typeof e.details.decisionId === 'string' ? (
                        <InlineStack>
                          <Button variant="plain" onClick={() => navigate(`/decisions/${e.details.decisionId as string}`)}>Open the decision</Button>
                        </InlineStack>
                      ) : null}
                    </BlockStack>
                  </div>,
                ])}
              />
            </div>
          </Card>
        ) : null}
        {next ? (
          <InlineStack align="center">
            <Button loading={loading} onClick={() => void load(next)}>Load more</Button>
          </InlineStack>
        ) : entries.length > 0 ? (
          <Text as="p" alignment="center" tone="subdued">{`${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}: the end of the log${subject || action ? ' for these filters' : ''}.`}</Text>
        ) : null}
      </BlockStack>
    </Page>
  );
}

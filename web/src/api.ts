/** What the admin reads from the server's /api (the same shapes the routes return). */

export type Zone = 'low' | 'medium' | 'high';
export type Kind = 'order' | 'return' | 'refund';

export interface DecisionSummary {
  id: string;
  kind: Kind;
  subjectId: string;
  orderId: string | null;
  customerId: string | null;
  score: number;
  zone: Zone;
  decidedAt: string;
  ruleset: { id: string; version: number };
  topSignals: { id: string; points: number; message: string }[];
  insufficient: number;
  errors: number;
  /** In the holdout sample: a HIGH decision whose actions were deliberately not executed. */
  holdout?: boolean;
}

export interface SignalLine {
  id: string;
  version: string;
  source: 'signal' | 'custom';
  status: 'hit' | 'no_hit' | 'insufficient_data' | 'error';
  strength: number;
  weight: number;
  points: number;
  message: string;
  evidence: Record<string, unknown>;
  /** The merchant snoozed this signal for the customer: it kept its status but scored 0 points. */
  snoozed?: { until: string; by?: string; reason?: string };
}

export interface DecisionDetail extends DecisionSummary {
  trace: { signals: SignalLine[]; rawScore: number; scaled: boolean; coverage: Record<string, number>; subject: { at: string } };
  actions: { id: string; type: string; ruleId: string; status: string; attempts: number; result: unknown; error: string | null }[];
  outcomes: { label: 'fraud' | 'legit'; source: string; labelled_at?: string; labelledAt?: string }[];
  /** The calibrated fraud risk of this score under the version that decided it (probability null: not enough outcomes yet). */
  risk: OutcomeRisk;
}

export type { OutcomeRisk };
import type { OutcomeRisk } from '../../engine/chargebacks/calibration.ts';

export interface DecisionList {
  decisions: DecisionSummary[];
  next: string | null;
  counts: Record<string, number>;
}

export interface StageProgress {
  stage: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'paused';
  pages: number;
  processed: number;
  total: number | null;
  error: string | null;
  etaSeconds: number | null;
}

export interface BackfillProgress {
  status: 'not-started' | 'running' | 'done' | 'failed' | 'paused';
  window: { from: string; to: string } | null;
  stages: StageProgress[];
  etaSeconds: number | null;
  next: 'retry' | 'reconnect' | null;
}

export interface CustomerProfile {
  id: string;
  tags: string[];
  currentZone: Zone | null;
  lastScore: number | null;
  decisionsCount: number;
  averageScore: number | null;
  trajectory: string;
  history: DecisionSummary[];
}

export type IdentifierKind = 'email' | 'phone' | 'address' | 'ip' | 'device' | 'payment';

export interface ListEntry {
  list: 'blocked' | 'allowed';
  kind: IdentifierKind;
  /** The keyed hash: the raw identifier is never stored. */
  hash: string;
  note: string | null;
  nonOverridable: boolean;
  createdBy: string | null;
  createdAt: string;
}

export interface Snooze {
  id: string;
  customerId: string;
  signalId: string;
  startsAt: string;
  expiresAt: string;
  createdBy: string;
  reason: string | null;
  active: boolean;
}


export interface HoldoutData {
  percent: number;
  report: { from: string | null; to: string | null; groups: HoldoutGroup[]; notActedOn: number };
}

// The refund-method report's shapes are the server's own (type-only: nothing of the server is bundled).
export type { HoldoutGroup, MethodFigures, RefundMethodReport, ZoneSplit } from '../../server/store/RefundReportStore.ts';
import type { HoldoutGroup } from '../../server/store/RefundReportStore.ts';

// Weight suggestions as explained proposals (`GET /api/suggestions`): the server's own shapes (type-only).
export type { LabelsBehind, Proposal, ProposalList, ProposalPreview } from '../../server/services/SuggestionService.ts';

/** Fetches a CSV from the API (with the session token when embedded) and saves it as `filename`. */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const response = await fetch(path, { headers });
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** An API answer that is not a success: the server's message, for a banner. */
export type ReasonCategory = 'sizing' | 'quality_defect' | 'not_as_described' | 'changed_mind' | 'suspicious' | 'other';
export interface ReasonCount { key: string; count: number }
export interface ReasonProduct {
  productId: string;
  notes: number;
  categories: Partial<Record<ReasonCategory, number>>;
  skus: { sku: string; notes: number; categories: Partial<Record<ReasonCategory, number>> }[];
  examples: Partial<Record<ReasonCategory, string[]>>;
}
/** GET /api/reasons: the shop's latest return-reason clusters (see server/services/ReasonService.ts). */
export interface ReasonsResponse {
  status: 'none' | 'running' | 'done' | 'failed';
  lastRun: { status: string; trigger: string; createdAt: string; finishedAt: string | null; durationMs: number; error: string | null } | null;
  report: {
    computedAt: string;
    notes: number;
    returns: number;
    productCount: number;
    categories: { category: ReasonCategory; label: string; count: number; share: number; examples: string[]; topProducts: ReasonCount[]; topSkus: ReasonCount[]; reasonCodes: ReasonCount[] }[];
    clusters: { id: number; category: ReasonCategory; label: string; terms: string[]; size: number; examples: string[]; refinedLabel?: string; refined: boolean; refineError?: string }[];
    coordinated: { returnIds: string[]; customers: number; from: string | null; to: string | null; similarity: number; example: string; products: ReasonCount[] }[];
    products: ReasonProduct[];
    method: { k: number; vocabulary: number; engine: string };
    llm: { configured: boolean; model: string | null; refined: number; failed: number; error: string | null };
  } | null;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

declare global {
  interface Window {
    /** App Bridge (embedded in Shopify Admin): session tokens for the API. */
    shopify?: { idToken(): Promise<string> };
  }
}

/** Calls the server's API with the session token when embedded; a failure throws ApiError with the server's message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const method = (init.method ?? 'GET').toUpperCase();
  // Every state-changing call is JSON, even without a body: demo mode refuses any other (issue 19).
  if (init.body !== undefined || (method !== 'GET' && method !== 'HEAD')) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (error) {
    throw new ApiError(0, `The server could not be reached (${(error as Error).message})`);
  }
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const message = (payload as { message?: string } | null)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return payload as T;
}

/** The shop this admin is for, when known: the server's meta tag (embedded) or the `shop` query parameter. */
export function currentShop(): string | null {
  const meta = document.querySelector('meta[name="shopify-shop"]')?.getAttribute('content');
  return meta ?? new URLSearchParams(window.location.search).get('shop');
}

/** Fetches a non-JSON resource of the API (CSV, HTML) with the session token; a failure throws ApiError. */
async function fetchBlob(path: string): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (window.shopify) headers.authorization = `Bearer ${await window.shopify.idToken()}`;
  const response = await fetch(path, { headers });
  if (!response.ok) {
    const message = ((await response.json().catch(() => null)) as { message?: string } | null)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return response.blob();
}

/** Downloads an API resource (e.g. a CSV export) as a file. */
export async function download(path: string, filename: string): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await fetchBlob(path));
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Opens an HTML resource of the API (e.g. a printable report) in a new tab. */
export async function openHtml(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  const url = URL.createObjectURL(await fetchBlob(path));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}


/** A ring's score parts (engine/rings RingComponents): each `points` entry adds to the score. */
export interface RingComponents {
  members: number;
  links: number;
  strongLinks: number;
  linksByKind: Partial<Record<IdentifierKind, number>>;
  orders: number;
  returnedOrders: number;
  returnRate: number;
  shopReturnRate: number;
  chargebacks: number;
  chargebackMembers: number;
  fraudLabels: number;
  fraudMembers: number;
  points: { size: number; links: number; returns: number; chargebacks: number; fraud: number };
}

export interface RingSummary {
  id: string;
  key: string;
  score: number;
  members: number;
  components: RingComponents;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  builtAt: string;
}

export interface RingBuildStatus {
  status: 'never' | 'queued' | 'running' | 'done' | 'failed';
  requestedAt?: string;
  finishedAt?: string | null;
  stats?: { customers: number; identifiers: number; hubIdentifiers: number; linkedCustomers: number; rings: number; shopReturnRate: number; maxSharedWith: number } | null;
  error?: string | null;
}

export interface RingList {
  rings: RingSummary[];
  total: number;
  build: RingBuildStatus;
  scoring: { maxPoints: RingComponents['points'] };
}

export interface RingAlert {
  id: string;
  ringId: string | null;
  ringKey: string;
  orderId: string;
  customerId: string | null;
  member: boolean;
  matched: IdentifierKind[];
  ringScore: number;
  ringMembers: number;
  orderAt: string;
  createdAt: string;
}

export interface RingMember {
  key: string;
  customerId: string | null;
  guestOrderId: string | null;
  orders: number;
  returnedOrders: number;
  chargebacks: number;
  fraudLabels: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  zone: Zone | null;
  lastScore: number | null;
}

export interface RingDetail extends RingSummary {
  memberList: RingMember[];
  links: { source: string; target: string; kinds: IdentifierKind[]; identifiers: number }[];
  linksByKind: Partial<Record<IdentifierKind, number>>;
  alerts: RingAlert[];
}

import type { Knex } from 'knex';
import { ActionStore } from './ActionStore.ts';
import { AlertStore } from './AlertStore.ts';
import { AuditStore } from './AuditStore.ts';
import { AnalyticsStore } from './AnalyticsStore.ts';
import { BackfillStore } from './BackfillStore.ts';
import { ChargebackStore } from './ChargebackStore.ts';
import { ContextStore } from './ContextStore.ts';
import { CustomerStore } from './CustomerStore.ts';
import { DecisionStore } from './DecisionStore.ts';
import { DeliveryStore } from './DeliveryStore.ts';
import { EventStore } from './EventStore.ts';
import { FitStore } from './FitStore.ts';
import { LabelStore } from './LabelStore.ts';
import { ListStore } from './ListStore.ts';
import { OutcomeStore } from './OutcomeStore.ts';
import { ProductStore } from './ProductStore.ts';
import { QueueStore } from './QueueStore.ts';
import { RingStore } from './RingStore.ts';
import { ReasonStore } from './ReasonStore.ts';
import { RulesetStore } from './RulesetStore.ts';
import { ShopStore } from './ShopStore.ts';
import { SimulationStore } from './SimulationStore.ts';
import { SnoozeStore } from './SnoozeStore.ts';
import { RefundReportStore } from './RefundReportStore.ts';

/** The store layer: the only place with SQL. One repository per table family. */
export interface Stores {
  db: Knex;
  shops: ShopStore;
  rulesets: RulesetStore;
  events: EventStore;
  decisions: DecisionStore;
  customers: CustomerStore;
  actions: ActionStore;
  audit: AuditStore;
  outcomes: OutcomeStore;
  products: ProductStore;
  deliveries: DeliveryStore;
  lists: ListStore;
  context: ContextStore;
  backfills: BackfillStore;
  simulations: SimulationStore;
  fits: FitStore;
  labels: LabelStore;
  chargebacks: ChargebackStore;
  analytics: AnalyticsStore;
  rings: RingStore;
  snoozes: SnoozeStore;
  refundReports: RefundReportStore;
  reasons: ReasonStore;
  alerts: AlertStore;
  queue: QueueStore;
}

export function createStores(db: Knex): Stores {
  const rulesets = new RulesetStore(db);
  const lists = new ListStore(db);
  const products = new ProductStore(db);
  return {
    db,
    // Deleting a shop deletes its rulesets and lists too (foreign keys cascade).
    shops: new ShopStore(db, [rulesets, lists]),
    rulesets,
    events: new EventStore(db),
    decisions: new DecisionStore(db),
    customers: new CustomerStore(db),
    actions: new ActionStore(db),
    audit: new AuditStore(db),
    outcomes: new OutcomeStore(db),
    products,
    deliveries: new DeliveryStore(db),
    lists,
    context: new ContextStore(db, products),
    backfills: new BackfillStore(db),
    simulations: new SimulationStore(db),
    fits: new FitStore(db),
    labels: new LabelStore(db),
    chargebacks: new ChargebackStore(db),
    analytics: new AnalyticsStore(db),
    rings: new RingStore(db),
    snoozes: new SnoozeStore(db),
    refundReports: new RefundReportStore(db),
    reasons: new ReasonStore(db),
    alerts: new AlertStore(db),
    queue: new QueueStore(db),
  };
}

export { RulesetConflictError } from './RulesetStore.ts';
export type { ActionRow, ActionStatus } from './ActionStore.ts';
export type { BackfillRow, BackfillSource, StageRow } from './BackfillStore.ts';
export type { ContextMaterial } from './ContextStore.ts';
export type { CustomerRow } from './CustomerStore.ts';
export { eventsWithProductFacts, productIdsOf, withProductFacts, type ProductFacts } from './ProductStore.ts';
export type { SimulationRow } from './SimulationStore.ts';
export type { FitRow } from './FitStore.ts';
export type { AgingCandidate, DecidedSubject, SubjectQuery } from './LabelStore.ts';
export type { RingAlertRow, RingBuildRow, RingLinkRow, RingMemberRow, RingRow } from './RingStore.ts';
export type { SnoozeRow } from './SnoozeStore.ts';
export type { ListEntryRow, ListName } from './ListStore.ts';
export type { HoldoutReport, RefundMethodReport } from './RefundReportStore.ts';
export type { ReasonClusteringRow, ReturnNoteRow } from './ReasonStore.ts';
export type { DecisionRow, DecisionFilters } from './DecisionStore.ts';
export type { QueueCountRow, QueueFilters, QueuePageRequest, QueueRow, QueueSearch } from './QueueStore.ts';
export type { FitNote, RulesetNote, RulesetRow, SuggestionsNote } from './RulesetStore.ts';
export type { ShopRow } from './ShopStore.ts';
export type { AlertDeliveryRow, AlertKind, AlertRuleRow } from './AlertStore.ts';
export type { ChargebackSummary, DoubleDip, EvidenceMaterial, PredictionRow, RepeatOffender, UnshippedOrder } from './ChargebackStore.ts';
export type { GoalMetric, GoalRow, PeriodMetrics, SkuTrend } from './AnalyticsStore.ts';

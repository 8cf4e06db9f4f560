import { CASE_VIEW_PROJECTION } from '../models/case-views/case-view.fold';
import { HANDOVER_FACT_PROJECTION } from '../models/handover-facts/handover-fact.fold';
import { REFERRAL_FACT_PROJECTION } from '../models/referral-facts/referral-fact.fold';
import { REFERRAL_VIEW_PROJECTION } from '../models/referral-views/referral-view.fold';
import type { ProjectionRow, RowProjection } from './row-projection';

export const READ_MODEL_NAMES = [
  'referral-views',
  'case-views',
  'referral-facts',
  'handover-facts',
] as const;
export type ReadModelName = (typeof READ_MODEL_NAMES)[number];

/**
 * One read model: its live table, the shadow table a rebuild fills, and the projection (a pure
 * fold) that both live processing and rebuilds compute its rows with.
 */
export interface ReadModel {
  name: ReadModelName;
  table: 'referral_views' | 'case_views' | 'referral_facts' | 'handover_facts';
  shadowTable:
    | 'referral_views_rebuild'
    | 'case_views_rebuild'
    | 'referral_facts_rebuild'
    | 'handover_facts_rebuild';
  projection: RowProjection<ProjectionRow>;
  /** The table of sums the projection keeps beside its rows (RowSummary), live and shadow. */
  summary?: ModelTables;
  handles(eventType: string | undefined): boolean;
}

/** A live table of a model and the shadow table a rebuild fills in its stead. */
export interface ModelTables {
  table: string;
  shadowTable: string;
}

function readModel(
  name: ReadModelName,
  table: ReadModel['table'],
  shadowTable: ReadModel['shadowTable'],
  projection: RowProjection<ProjectionRow>,
): ReadModel {
  const types = new Set(projection.eventTypes);
  const summary = projection.summary && {
    table: projection.summary.tableBeside(table),
    shadowTable: projection.summary.tableBeside(shadowTable),
  };
  return {
    name,
    table,
    shadowTable,
    projection,
    ...(summary ? { summary } : {}),
    handles: (type) => types.has(type ?? ''),
  };
}

export const REFERRAL_VIEWS = readModel(
  'referral-views',
  'referral_views',
  'referral_views_rebuild',
  REFERRAL_VIEW_PROJECTION as unknown as RowProjection<ProjectionRow>,
);

export const CASE_VIEWS = readModel(
  'case-views',
  'case_views',
  'case_views_rebuild',
  CASE_VIEW_PROJECTION as unknown as RowProjection<ProjectionRow>,
);

/** What cooperation insights count: a row per referral, no personal data (issue 24). */
export const REFERRAL_FACTS = readModel(
  'referral-facts',
  'referral_facts',
  'referral_facts_rebuild',
  REFERRAL_FACT_PROJECTION as unknown as RowProjection<ProjectionRow>,
);

/** What the insights count of handovers: a row per handover, no personal data (issue 24). */
export const HANDOVER_FACTS = readModel(
  'handover-facts',
  'handover_facts',
  'handover_facts_rebuild',
  HANDOVER_FACT_PROJECTION as unknown as RowProjection<ProjectionRow>,
);

export const READ_MODELS: Record<ReadModelName, ReadModel> = {
  'referral-views': REFERRAL_VIEWS,
  'case-views': CASE_VIEWS,
  'referral-facts': REFERRAL_FACTS,
  'handover-facts': HANDOVER_FACTS,
};

import type { PoolClient } from 'pg';
import type { CloudEvent } from '@backbone/contracts';
import { applyToCaseViews } from './case-views.projection';
import { applyToReferralViews } from './referral-views.projection';

export const READ_MODEL_NAMES = ['referral-views', 'case-views'] as const;
export type ReadModelName = (typeof READ_MODEL_NAMES)[number];

/** Where a projection writes: the live table, or the shadow table a rebuild fills. */
export type ProjectionTarget = 'live' | 'shadow';

/**
 * One read model: its live table, its shadow table, which events change it and how. Live
 * processing and rebuilds both apply events through `apply`, so they cannot build different
 * models from the same events.
 */
export interface ReadModel {
  name: ReadModelName;
  table: 'referral_views' | 'case_views';
  shadowTable: 'referral_views_rebuild' | 'case_views_rebuild';
  handles(eventType: string | undefined): boolean;
  apply(client: PoolClient, event: CloudEvent, target: ProjectionTarget): Promise<void>;
}

const isCaseEvent = (type: string | undefined): boolean => type?.startsWith('case.') ?? false;

export const REFERRAL_VIEWS: ReadModel = {
  name: 'referral-views',
  table: 'referral_views',
  shadowTable: 'referral_views_rebuild',
  handles: (type) => !isCaseEvent(type),
  apply: (client, event, target) =>
    applyToReferralViews(
      client,
      event,
      target === 'live' ? 'referral_views' : 'referral_views_rebuild',
    ),
};

export const CASE_VIEWS: ReadModel = {
  name: 'case-views',
  table: 'case_views',
  shadowTable: 'case_views_rebuild',
  handles: isCaseEvent,
  apply: (client, event, target) =>
    applyToCaseViews(client, event, target === 'live' ? 'case_views' : 'case_views_rebuild'),
};

export const READ_MODELS: Record<ReadModelName, ReadModel> = {
  'referral-views': REFERRAL_VIEWS,
  'case-views': CASE_VIEWS,
};

/** Applies one event to every read model it concerns, in the caller's transaction. */
export async function applyToReadModels(
  client: PoolClient,
  event: CloudEvent,
  target: ProjectionTarget = 'live',
): Promise<void> {
  for (const model of Object.values(READ_MODELS)) {
    if (model.handles(event.type)) await model.apply(client, event, target);
  }
}

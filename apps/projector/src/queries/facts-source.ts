import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * Where insights read their facts: the live read models, or the facts as they stood at an
 * earlier moment, refolded from the store into temporary tables on one connection (see
 * withFactsAsOf), whose deadlines are judged at that moment.
 */
export type FactsSource = { kind: 'live' } | { kind: 'as-of'; client: PoolClient; moment: Date };

export const LIVE_FACTS: FactsSource = { kind: 'live' };

/**
 * The tables of each source: referral and handover facts, and the flows summed from each beside
 * them (migrations 1764345600130 and 132). Names come from this closed set, never from input.
 */
export const FACTS_TABLES = {
  live: {
    referrals: 'referral_facts',
    flows: 'referral_flows',
    handovers: 'handover_facts',
    handoverFlows: 'handover_flows',
  },
  'as-of': {
    referrals: 'referral_facts_as_of',
    flows: 'referral_flows_as_of',
    handovers: 'handover_facts_as_of',
    handoverFlows: 'handover_flows_as_of',
  },
} as const;

export type FactsTables = (typeof FACTS_TABLES)[FactsSource['kind']];

/** What a query over a source needs: its tables, a way to ask, and the moment it stands at. */
export interface FactsReader {
  tables: FactsTables;
  ask: <R extends QueryResultRow>(text: string, values: unknown[]) => Promise<R[]>;
  /** Now, or the as-of moment (RFC 3339). */
  moment: string;
}

export function factsReader(pool: Pool, source: FactsSource): FactsReader {
  const client = source.kind === 'live' ? pool : source.client;
  return {
    tables: FACTS_TABLES[source.kind],
    ask: async <R extends QueryResultRow>(text: string, values: unknown[]) =>
      (await client.query<R>(text, values)).rows,
    moment: (source.kind === 'live' ? new Date() : source.moment).toISOString(),
  };
}

// The statements the insights route runs, captured from the app's own query classes (so the
// findings EXPLAIN exactly what it sends), and their plans as run.
import type { Pool } from 'pg';
import {
  CooperationFlowsQueries,
  FlowsQuery,
} from '../../apps/projector/src/queries/cooperation-flows.queries';
import { HandoverFlowsQueries } from '../../apps/projector/src/queries/handover-flows.queries';

export interface Statement {
  /** What it counts, in the app's words. */
  name: 'flows' | 'overdue' | 'chains' | 'handovers';
  text: string;
  values: unknown[];
}

/** The statements `flows`, `redirectChains` and the handover flows send for `query`. */
export async function flowsStatements(query: FlowsQuery): Promise<Statement[]> {
  const sent: { text: string; values: unknown[] }[] = [];
  const recorder = {
    query: (text: string, values: unknown[]) => {
      sent.push({ text, values });
      return Promise.resolve({ rows: [] });
    },
  } as unknown as Pool;
  await new CooperationFlowsQueries(recorder).flows(query);
  await new CooperationFlowsQueries(recorder).redirectChains(query);
  await new HandoverFlowsQueries(recorder).flows(query);
  const names: Statement['name'][] = ['flows', 'overdue', 'chains', 'handovers'];
  if (sent.length !== names.length) {
    throw new Error(
      `expected ${names.length} statements from the flows queries, saw ${sent.length}`,
    );
  }
  return sent.map((statement, i) => ({ name: names[i], ...statement }));
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of a statement, run with its values: the plan as text. */
export async function explained(pool: Pool, statement: Statement): Promise<string> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
    statement.values,
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

// The statements the insights route runs, captured from the app's own query class (so the
// findings EXPLAIN exactly what it sends), and their plans as run.
import type { Pool } from 'pg';
import {
  CooperationFlowsQueries,
  FlowsQuery,
} from '../../apps/projector/src/queries/cooperation-flows.queries';

export interface Statement {
  /** What it counts, in the app's words. */
  name: 'flows' | 'codes' | 'chains';
  text: string;
  values: unknown[];
}

/** The statements `flows` and `redirectChains` send for `query`, with their values. */
export async function flowsStatements(query: FlowsQuery): Promise<Statement[]> {
  const sent: { text: string; values: unknown[] }[] = [];
  const recorder = {
    query: (text: string, values: unknown[]) => {
      sent.push({ text, values });
      return Promise.resolve({ rows: [] });
    },
  };
  const queries = new CooperationFlowsQueries(recorder as unknown as Pool);
  await queries.flows(query);
  await queries.redirectChains(query);
  const names: Statement['name'][] = ['flows', 'codes', 'chains'];
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

/** The statement's SQL with one part replaced, refusing if the part is not there. */
export function rewritten(statement: Statement, part: string, replacement: string): Statement {
  if (!statement.text.includes(part)) {
    throw new Error(`the ${statement.name} statement no longer contains ${JSON.stringify(part)}`);
  }
  return { ...statement, text: statement.text.replace(part, replacement) };
}

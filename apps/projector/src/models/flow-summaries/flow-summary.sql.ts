// SQL pieces the flow summaries share (referral_flows, handover_flows: migrations 1764345600130
// and 132): which table of sums sits beside which table of facts, and how an upsert adds a
// change's sums to a flow (`flow`, the row there; `EXCLUDED`, the sums to add).

/** The tables of sums kept beside tables of facts, from a closed set fixed in code. */
export function besideTables<Beside extends Record<string, string>>(beside: Beside) {
  const factsTable = (table: string): keyof Beside & string => {
    if (!Object.hasOwn(beside, table)) throw new Error(`no flows are kept beside ${table}`);
    return table;
  };
  return {
    tableBeside: (rowTable: string): string => beside[factsTable(rowTable)],
    /** A table of facts and the flows table beside it, checked against the closed set. */
    pair: (rowTable: string, summaryTable: string): [keyof Beside & string, string] => {
      const facts = factsTable(rowTable);
      if (beside[facts] !== summaryTable)
        throw new Error(`${summaryTable} is not the flows table beside ${facts}`);
      return [facts, summaryTable];
    },
  };
}

/** SET items adding counts to the flow's. */
export const countsAdded = (names: readonly string[]): string[] =>
  names.map((name) => `${name} = flow.${name} + EXCLUDED.${name}`);

/**
 * SET items adding counts per minute to the flow's, and working its spread out again from them
 * (only when the change brings minutes: an unchanged spread stays).
 */
export const minutesAdded = (minutes: string, spread: string): string[] => [
  `${minutes} = counts_added(flow.${minutes}, EXCLUDED.${minutes})`,
  `${spread} = CASE WHEN EXCLUDED.${minutes} = '{}' THEN flow.${spread}
     ELSE minutes_spread(counts_added(flow.${minutes}, EXCLUDED.${minutes})) END`,
];

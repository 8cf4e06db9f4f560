// Renders a history as a plain-text table for a terminal: one row per event, oldest first.

/** The parts of a history entry the table shows (what `GET …/history` answers with). */
export interface TimelineRow {
  streamId: string;
  streamVersion: number;
  type: string;
  recordedAt: string;
  actingAgency: string | null;
  actor: string | null;
  lawfulBasis?: Record<string, unknown>;
  statusAfter?: string;
  responsibleAfter?: string;
  data: Record<string, unknown>;
}

/** Ids every row of a stream shares; the table's title names them once instead. */
const OMITTED = new Set(['referralId', 'caseId', 'subjectId', 'lawfulBasis']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'name' in value) {
    const name = (value as { name?: { given?: string; family?: string } }).name;
    if (name) return JSON.stringify([name.given, name.family].filter(Boolean).join(' '));
  }
  return JSON.stringify(value);
}

/** `key=value` pairs of what the event says, personal fields as opened (or `[erased]`). */
export function detailsOf(row: TimelineRow): string {
  const pairs = Object.entries(row.data)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`);
  if (row.lawfulBasis) pairs.unshift(`basis=${valueText(row.lawfulBasis.basis)}`);
  return pairs.join(' ');
}

const clip = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;

/** The table, fitted to `width` columns by clipping the details column (never below 20). */
export function renderTimeline(rows: TimelineRow[], width = 160, showStream = false): string {
  const header = [
    '#',
    ...(showStream ? ['stream'] : []),
    'recorded at (UTC)',
    'event',
    'agency',
    'actor',
    'status after',
    'details',
  ];
  const cells = rows.map((row, i) => [
    String(i + 1),
    ...(showStream ? [row.streamId] : []),
    row.recordedAt.replace('T', ' ').replace('Z', ''),
    row.type,
    row.actingAgency ?? '',
    clip(row.actor ?? '', 28),
    [row.statusAfter, row.responsibleAfter && `→ ${row.responsibleAfter}`]
      .filter(Boolean)
      .join(' '),
    detailsOf(row),
  ]);
  const fixed = header
    .slice(0, -1)
    .map((title, c) => Math.max(title.length, ...cells.map((line) => line[c].length)));
  const used = fixed.reduce((sum, w) => sum + w + 2, 0);
  const detailsWidth = Math.max(20, width - used);
  const line = (values: string[]): string =>
    [
      ...values.slice(0, -1).map((value, c) => value.padEnd(fixed[c])),
      clip(values[values.length - 1], detailsWidth),
    ]
      .join('  ')
      .trimEnd();
  const rule = [...fixed.map((w) => '-'.repeat(w)), '-'.repeat(Math.min(detailsWidth, 40))].join(
    '  ',
  );
  return [line(header), rule, ...cells.map(line)].join('\n') + '\n';
}

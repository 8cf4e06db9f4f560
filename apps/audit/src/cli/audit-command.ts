import type { CommandOutput } from '../verification/verify-command';
import { TimelineRow, renderTimeline } from './timeline-table';

export interface AuditCommandEnv {
  BACKBONE_URL?: string;
  AUDIT_API_KEY?: string;
  AUDIT_PURPOSE?: string;
}

const USAGE = `usage: npm run audit -- history <referralId> [--as-of <RFC 3339>] --purpose <why>
       npm run audit -- subject-history <subjectId> [--as-of <RFC 3339>] --purpose <why>
options: --url <backbone> (BACKBONE_URL, default http://127.0.0.1:3000)
         --key <auditor API key> (AUDIT_API_KEY)
         --purpose <why> (AUDIT_PURPOSE): recorded with your access
         --json: the answer as JSON instead of a table
`;

interface AuditArgs {
  command: 'history' | 'subject-history';
  id: string;
  asOf?: string;
  purpose: string;
  url: string;
  key: string;
  json: boolean;
}

const VALUE_OPTIONS = new Set(['--as-of', '--purpose', '--url', '--key']);

/** The arguments, or the reason they are not usable. */
export function parseAuditArgs(argv: string[], env: AuditCommandEnv): AuditArgs | string {
  const positional: string[] = [];
  const options = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (VALUE_OPTIONS.has(arg)) {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      options.set(arg, value);
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  const [command, id, ...rest] = positional;
  if ((command !== 'history' && command !== 'subject-history') || !id || rest.length)
    return 'what to show?';
  const purpose = options.get('--purpose') ?? env.AUDIT_PURPOSE;
  if (!purpose) return 'say why: --purpose "<why>" (it is recorded with your access)';
  const key = options.get('--key') ?? env.AUDIT_API_KEY;
  if (!key) return 'your auditor API key: --key <key> or AUDIT_API_KEY';
  const url = options.get('--url') ?? env.BACKBONE_URL ?? 'http://127.0.0.1:3000';
  const asOf = options.get('--as-of');
  return { command, id, purpose, key, url, json, ...(asOf ? { asOf } : {}) };
}

interface HistoryAnswer {
  asOf: string | null;
  entries: TimelineRow[];
  unreadable: string[];
  state?: Record<string, unknown> | null;
  referrals?: Record<string, unknown>[];
  cases?: Record<string, unknown>[];
  erased?: { at: string; by: string } | null;
}

function title(args: AuditArgs, answer: HistoryAnswer): string {
  const when = answer.asOf ? ` as of ${answer.asOf}` : '';
  if (args.command === 'history') {
    const state = answer.state;
    const now = state
      ? `${String(state.status)}: ${String(state.from)} → ${String(state.to)}, ${String(state.category)}, ${String(state.priority)}`
      : 'not yet made';
    return `Referral ${args.id}${when} — ${now}\n`;
  }
  const erased = answer.erased
    ? `; personal data erased ${answer.erased.at} by ${answer.erased.by}`
    : '';
  return (
    `Subject ${args.id}${when} — ${answer.referrals?.length ?? 0} referral(s), ` +
    `${answer.cases?.length ?? 0} case(s)${erased}\n`
  );
}

/**
 * `npm run audit -- history <referralId> [--as-of …] --purpose …`: a referral's (or a person's)
 * timeline as a table in the terminal. It asks the backbone's audit API with the auditor's key,
 * so it is subject to the same rules and leaves the same `audit.accessed.v1` record.
 */
export async function runAuditCommand(
  argv: string[],
  env: AuditCommandEnv,
  io: { out: CommandOutput & { columns?: number }; err: CommandOutput },
): Promise<number> {
  const args = parseAuditArgs(argv, env);
  if (typeof args === 'string') {
    io.err.write(`${args}\n${USAGE}`);
    return 64;
  }
  const path =
    args.command === 'history'
      ? `/v1/audit/referrals/${encodeURIComponent(args.id)}/history`
      : `/v1/audit/subjects/${encodeURIComponent(args.id)}/history`;
  const query = new URLSearchParams({
    purpose: args.purpose,
    ...(args.asOf ? { asOf: args.asOf } : {}),
  });
  const response = await fetch(`${args.url.replace(/\/$/, '')}${path}?${query.toString()}`, {
    headers: { authorization: `Bearer ${args.key}`, accept: 'application/json' },
  });
  const body = (await response.json()) as HistoryAnswer & { title?: string; detail?: string };
  if (!response.ok) {
    io.err.write(`${response.status} ${body.title ?? ''}: ${body.detail ?? ''}\n`);
    return 1;
  }
  if (args.json) {
    io.out.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  io.out.write(title(args, body));
  io.out.write(
    renderTimeline(body.entries, io.out.columns ?? 160, args.command === 'subject-history'),
  );
  if (body.unreadable.length) {
    io.out.write(`unreadable (altered in the store?): ${body.unreadable.join(', ')}\n`);
  }
  return 0;
}

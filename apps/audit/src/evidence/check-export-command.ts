import { existsSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { CommandOutput } from '../verification/verify-command';
import { BundleCheck, checkEvidenceBundle } from './check-bundle';
import { parsePublicKey } from './signing-key';

export const CHECK_EXIT = { intact: 0, changed: 1, brokenChain: 2, usage: 64 } as const;

const USAGE =
  'usage: npm run audit:check-export -- <bundle.json> [--public-key <file | JWK | PEM | base64>]\n';

function parseArgs(argv: string[]): { file: string; publicKey?: string } | undefined {
  const files: string[] = [];
  let publicKey: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--public-key') publicKey = argv[++i];
    else files.push(argv[i]);
  }
  if (files.length !== 1 || (argv.includes('--public-key') && !publicKey)) return undefined;
  return { file: files[0], publicKey };
}

/** The key to trust: a file holding one (e.g. saved from GET /v1/signing-keys), or the key itself. */
const trustedKey = (spec: string): KeyObject =>
  parsePublicKey(existsSync(spec) ? readFileSync(spec, 'utf8') : spec);

function describe(check: BundleCheck): string {
  const lines = check.streams.map(
    (s) =>
      `  ${s.streamId}: ${s.events} events, ` +
      (s.valid
        ? 'chain verifies'
        : `chain BROKEN at version ${s.firstBrokenAt ?? '?'} (${s.reason})`),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run audit:check-export -- <file> [--public-key …]`: checks an evidence bundle offline.
 * Exit 0: signed, unchanged, every chain verifies. 1: changed or not a valid bundle. 2: intact,
 * but it records a broken chain (the store was tampered with before the export).
 */
export function runCheckExport(
  argv: string[],
  io: { out: CommandOutput; err: CommandOutput },
): number {
  const args = parseArgs(argv);
  if (!args) {
    io.err.write(USAGE);
    return CHECK_EXIT.usage;
  }
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (error) {
    io.err.write(`${args.file}: cannot be read as JSON (${String(error)})\n`);
    return CHECK_EXIT.changed;
  }
  const check = checkEvidenceBundle(
    document,
    args.publicKey ? trustedKey(args.publicKey) : undefined,
  );
  if (!check.intact) {
    io.out.write(`${args.file}: NOT INTACT\n${check.problems.map((p) => `  ${p}\n`).join('')}`);
    return CHECK_EXIT.changed;
  }
  io.out.write(`${args.file}: intact, signed by key ${check.keyId}\n${describe(check)}`);
  if (!check.pinned) {
    io.err.write(
      'warning: checked against the key the bundle carries; pass --public-key with the key from ' +
        'GET /v1/signing-keys to prove the backbone signed it\n',
    );
  }
  return check.streams.every((s) => s.valid) ? CHECK_EXIT.intact : CHECK_EXIT.brokenChain;
}

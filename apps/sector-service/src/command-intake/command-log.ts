import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import type { CloudEvent } from '@backbone/contracts';
import { canonicalJson } from '@backbone/event-store';

export interface LoggedCommand {
  payloadSha256: Buffer;
  outcome: CloudEvent;
}

/**
 * What makes two deliveries "the same command": everything but the envelope's send time. Content
 * that has no canonical form (too deep to walk, say) is told apart by its bytes, `raw`.
 */
export function commandFingerprint(content: unknown, raw: Buffer | string = ''): Buffer {
  let canonical: string | Buffer;
  try {
    const { time: _time, ...rest } = content as Record<string, unknown>;
    canonical = canonicalJson(rest);
  } catch {
    canonical = raw;
  }
  return createHash('sha256').update(canonical).digest();
}

const SELECT = `SELECT payload_sha256, outcome FROM command_log WHERE agency_id = $1 AND command_id = $2`;
const INSERT = `
  INSERT INTO command_log (agency_id, command_id, command_type, payload_sha256, outcome)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;

const SELECT_MANY = `
  SELECT agency_id, command_id, payload_sha256, outcome FROM command_log
  WHERE (agency_id, command_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`;
const INSERT_MANY = `
  INSERT INTO command_log (agency_id, command_id, command_type, payload_sha256, outcome)
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::bytea[], $5::jsonb[])
  ON CONFLICT DO NOTHING`;

/** One command's entry in the log, to be recorded with others in one statement. */
export interface CommandLogEntry {
  agencyId: string;
  commandType: string;
  fingerprint: Buffer;
  outcome: CloudEvent<{ commandId: string }>;
}

export const logKey = (agencyId: string, commandId: string): string => `${agencyId}/${commandId}`;

/**
 * Outcomes are kept without the envelope's `actor` (a person's name, personal data the log
 * could never erase); a redelivery carries the same actor and gets it back (`withActor`).
 */
const withoutActor = ({ actor: _actor, ...outcome }: CloudEvent): CloudEvent => outcome;

/** A logged outcome as the delivery asking for it should see it. */
export const withActor = <E extends CloudEvent>(outcome: E, actor: string | undefined): E =>
  actor ? { ...outcome, actor } : outcome;

/** Every command answered so far, keyed by (agency, command id), with its outcome. */
@Injectable()
export class CommandLog {
  constructor(@Inject(Pool) private readonly pool: Pool) {}

  async find(agencyId: string, commandId: string): Promise<LoggedCommand | undefined> {
    const { rows } = await this.pool.query<{ payload_sha256: Buffer; outcome: CloudEvent }>(
      SELECT,
      [agencyId, commandId],
    );
    return rows[0] && { payloadSha256: rows[0].payload_sha256, outcome: rows[0].outcome };
  }

  /** The logged commands among these, keyed by `logKey(agencyId, commandId)`. */
  async findMany(
    commands: { agencyId: string; commandId: string }[],
  ): Promise<Map<string, LoggedCommand>> {
    const found = new Map<string, LoggedCommand>();
    if (!commands.length) return found;
    const { rows } = await this.pool.query<{
      agency_id: string;
      command_id: string;
      payload_sha256: Buffer;
      outcome: CloudEvent;
    }>({
      name: 'command-log.find-many',
      text: SELECT_MANY,
      values: [commands.map((c) => c.agencyId), commands.map((c) => c.commandId)],
    });
    for (const row of rows) {
      found.set(logKey(row.agency_id, row.command_id), {
        payloadSha256: row.payload_sha256,
        outcome: row.outcome,
      });
    }
    return found;
  }

  /** Records outcomes in one statement; returns how many were new (the rest were answered). */
  async recordMany(entries: CommandLogEntry[], client: PoolClient): Promise<number> {
    if (!entries.length) return 0;
    const { rowCount } = await client.query({
      name: 'command-log.record-many',
      text: INSERT_MANY,
      values: [
        entries.map((e) => e.agencyId),
        entries.map((e) => e.outcome.data.commandId),
        entries.map((e) => e.commandType),
        entries.map((e) => e.fingerprint),
        entries.map((e) => JSON.stringify(withoutActor(e.outcome))),
      ],
    });
    return rowCount ?? 0;
  }

  /** Records an outcome; false when the command was answered meanwhile by another delivery. */
  async record(
    agencyId: string,
    commandType: string,
    fingerprint: Buffer,
    outcome: CloudEvent<{ commandId: string }>,
    client?: PoolClient,
  ): Promise<boolean> {
    const { rowCount } = await (client ?? this.pool).query(INSERT, [
      agencyId,
      outcome.data.commandId,
      commandType,
      fingerprint,
      withoutActor(outcome),
    ]);
    return rowCount === 1;
  }
}

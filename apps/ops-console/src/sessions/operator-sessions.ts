import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { OPS_CONSOLE_SETTINGS, OpsConsoleSettings } from '../ops-console-settings';

const START = `
  INSERT INTO ops_sessions (token_sha256, operator_id, key_sha256, expires_at)
  VALUES ($1, $2, $3, now() + make_interval(mins => $4))
  RETURNING expires_at`;
const FIND = `SELECT operator_id FROM ops_sessions WHERE token_sha256 = $1 AND expires_at > now()`;
const END = `DELETE FROM ops_sessions WHERE token_sha256 = $1`;
const PURGE_EXPIRED = `DELETE FROM ops_sessions WHERE expires_at <= now()`;
// Sessions whose key is no longer an operator's key of the same operator.
const END_REVOKED = `
  DELETE FROM ops_sessions
  WHERE NOT (operator_id || ':' || key_sha256) = ANY($1::text[])`;

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Console sessions in PostgreSQL, by the SHA-256 of a random 256-bit token: every console
 * instance honours them, and the table alone cannot be used to sign in.
 */
@Injectable()
export class OperatorSessions {
  constructor(
    private readonly pool: Pool,
    @Inject(OPS_CONSOLE_SETTINGS) private readonly settings: OpsConsoleSettings,
  ) {}

  get lifetimeSeconds(): number {
    return this.settings.sessionMinutes * 60;
  }

  /** `keySha256`: the directory's hash of the key the operator signed in with. */
  async start(operatorId: string, keySha256: string): Promise<{ token: string; expiresAt: Date }> {
    await this.pool.query(PURGE_EXPIRED);
    const token = randomBytes(32).toString('base64url');
    const { rows } = await this.pool.query<{ expires_at: Date }>(START, [
      hashOf(token),
      operatorId,
      keySha256,
      this.settings.sessionMinutes,
    ]);
    return { token, expiresAt: rows[0].expires_at };
  }

  /** The operator the token signed in, while the session lasts. */
  async operatorOf(token: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ operator_id: string }>(FIND, [hashOf(token)]);
    return rows[0]?.operator_id;
  }

  async end(token: string): Promise<void> {
    await this.pool.query(END, [hashOf(token)]);
  }

  /** Ends every session not signed in with one of these keys; returns how many ended. */
  async endAllBut(operatorKeys: { operatorId: string; keySha256: string }[]): Promise<number> {
    const { rowCount } = await this.pool.query(END_REVOKED, [
      operatorKeys.map(({ operatorId, keySha256 }) => `${operatorId}:${keySha256}`),
    ]);
    return rowCount ?? 0;
  }
}

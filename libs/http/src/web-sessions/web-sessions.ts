import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { WEB_SESSION_REALM, WebSessionRealm } from './web-session-realm';

const START = `
  INSERT INTO web_sessions (token_sha256, realm, principal_id, key_sha256, expires_at)
  VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`;
const FIND = `
  SELECT principal_id FROM web_sessions
  WHERE token_sha256 = $1 AND realm = $2 AND expires_at > now()`;
const END = `DELETE FROM web_sessions WHERE token_sha256 = $1 AND realm = $2`;
const PURGE_EXPIRED = `DELETE FROM web_sessions WHERE expires_at <= now()`;
// The realm's sessions whose key is no longer a key of the same principal.
const END_REVOKED = `
  DELETE FROM web_sessions
  WHERE realm = $1 AND NOT (principal_id || ':' || key_sha256) = ANY($2::text[])`;

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

/** A principal's id and the directory's hash of one of its keys. */
export interface PrincipalKey {
  principalId: string;
  keySha256: string;
}

/**
 * A realm's sessions in PostgreSQL, by the SHA-256 of a random 256-bit token: every instance
 * honours them, and the table alone cannot be used to sign in.
 */
@Injectable()
export class WebSessions {
  constructor(
    private readonly pool: Pool,
    @Inject(WEB_SESSION_REALM) private readonly realm: WebSessionRealm,
  ) {}

  get lifetimeSeconds(): number {
    return this.realm.sessionMinutes * 60;
  }

  /** `keySha256`: the directory's hash of the key the principal signed in with. */
  async start(principalId: string, keySha256: string): Promise<string> {
    await this.pool.query(PURGE_EXPIRED);
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(START, [
      hashOf(token),
      this.realm.name,
      principalId,
      keySha256,
      this.realm.sessionMinutes,
    ]);
    return token;
  }

  /** The id of the principal the token signed in, while the session lasts. */
  async principalIdOf(token: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ principal_id: string }>(FIND, [
      hashOf(token),
      this.realm.name,
    ]);
    return rows[0]?.principal_id;
  }

  async end(token: string): Promise<void> {
    await this.pool.query(END, [hashOf(token), this.realm.name]);
  }

  /** Ends every session of the realm not signed in with one of these keys; returns how many. */
  async endAllBut(keys: PrincipalKey[]): Promise<number> {
    const { rowCount } = await this.pool.query(END_REVOKED, [
      this.realm.name,
      keys.map(({ principalId, keySha256 }) => `${principalId}:${keySha256}`),
    ]);
    return rowCount ?? 0;
  }
}

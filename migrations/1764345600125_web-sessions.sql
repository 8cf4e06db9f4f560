-- Up Migration
-- Sessions of the backbone's web pages, one table for every page: the ops console's operators
-- (realm 'ops') and the directors of the insights page (realm 'insights'). Only a SHA-256 of
-- each session token is kept: a copy of this table cannot be used to sign in. Shared by every
-- instance, so a session works whichever instance answers. `key_sha256` is the directory's hash
-- of the key signed in with: a session ends when its key is revoked. Replaces ops_sessions; the
-- operators signed in keep their sessions.
CREATE TABLE web_sessions (
  token_sha256  bytea PRIMARY KEY,
  realm         text NOT NULL,
  principal_id  text NOT NULL,
  key_sha256    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

INSERT INTO web_sessions (token_sha256, realm, principal_id, key_sha256, created_at, expires_at)
SELECT token_sha256, 'ops', operator_id, key_sha256, created_at, expires_at FROM ops_sessions;
DROP TABLE ops_sessions;

-- Down Migration
CREATE TABLE ops_sessions (
  token_sha256  bytea PRIMARY KEY,
  operator_id   text NOT NULL,
  key_sha256    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX ops_sessions_by_expiry ON ops_sessions (expires_at);
INSERT INTO ops_sessions (token_sha256, operator_id, key_sha256, created_at, expires_at)
SELECT token_sha256, principal_id, key_sha256, created_at, expires_at
FROM web_sessions WHERE realm = 'ops';
DROP TABLE web_sessions;

-- Foundation: organisation, people, roles, sessions, tokens, audit log, settings, jobs.
-- Times are integer seconds since the epoch (UTC), audit times milliseconds.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE units (
  id {{id}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('municipality', 'department', 'body')),
  parent_id BIGINT REFERENCES units(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE people (
  id {{id}},
  access_code TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('employee', 'councillor', 'guest')),
  unit_id BIGINT REFERENCES units(id),
  locale TEXT NOT NULL DEFAULT 'bg',
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
  password_hash TEXT,
  activation_hash TEXT,
  activation_expires_at BIGINT,
  totp_secret TEXT,
  totp_pending_secret TEXT,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  search_key TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX people_email ON people (email);
CREATE INDEX people_unit ON people (unit_id);

CREATE TABLE role_assignments (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  role TEXT NOT NULL CHECK (role IN ('administrator', 'clerk', 'chair', 'councillor', 'employee', 'guest')),
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organisation', 'unit', 'body')),
  scope_id BIGINT
);
CREATE INDEX role_assignments_person ON role_assignments (person_id);

CREATE TABLE recovery_codes (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  code_hash TEXT NOT NULL,
  used_at BIGINT
);
CREATE INDEX recovery_codes_person ON recovery_codes (person_id);

CREATE TABLE sessions (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  absolute_expires_at BIGINT NOT NULL,
  user_agent TEXT NOT NULL,
  address TEXT NOT NULL,
  ended_at BIGINT
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE login_attempts (
  id {{id}},
  at BIGINT NOT NULL,
  access_code TEXT NOT NULL,
  address TEXT NOT NULL,
  ok BIGINT NOT NULL
);
CREATE INDEX login_attempts_code ON login_attempts (access_code, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);

CREATE TABLE api_tokens (
  id {{id}},
  name TEXT NOT NULL,
  owner_id BIGINT NOT NULL REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  last_used_at BIGINT
);

CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
  id {{id}},
  seq BIGINT NOT NULL UNIQUE,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  address TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

CREATE TABLE jobs (
  id {{id}},
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
  run_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  max_attempts BIGINT NOT NULL DEFAULT 5,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

-- Documents: spaces, a tree of folders and files, versions over content-addressed blobs,
-- grants to audiences, guest links, resumable uploads, activity and full-text search.

-- A space belongs to someone or something: a person, a unit, or (later) a meeting, a sitting
-- or an agenda item. Access to it is granted on its root folder like anywhere else.
CREATE TABLE doc_spaces (
  id {{id}},
  kind TEXT NOT NULL CHECK (kind IN ('personal', 'unit', 'body', 'meeting', 'sitting', 'item')),
  owner_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  root_id BIGINT,
  quota_bytes BIGINT,
  used_bytes BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX doc_spaces_owner ON doc_spaces (kind, owner_id);

-- Folders and files. `path` is the chain of ids from the root ("/1/7/12/") so that access
-- granted on a folder reaches everything below it with one prefix comparison.
CREATE TABLE doc_nodes (
  id {{id}},
  space_id BIGINT NOT NULL REFERENCES doc_spaces(id),
  parent_id BIGINT REFERENCES doc_nodes(id),
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  current_version BIGINT NOT NULL DEFAULT 0,
  size BIGINT NOT NULL DEFAULT 0,
  content_type TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES people(id),
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  deleted_by BIGINT REFERENCES people(id),
  trashed_with BIGINT,
  legal_hold INTEGER NOT NULL DEFAULT 0,
  hold_reason TEXT
);
CREATE UNIQUE INDEX doc_nodes_name ON doc_nodes (parent_id, name_key) WHERE deleted_at IS NULL;
CREATE INDEX doc_nodes_path ON doc_nodes (path);
CREATE INDEX doc_nodes_trash ON doc_nodes (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX doc_nodes_trashed_with ON doc_nodes (trashed_with);

-- One row per stored content; `refs` counts the versions that use it.
CREATE TABLE doc_blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  refs BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE doc_versions (
  id {{id}},
  node_id BIGINT NOT NULL REFERENCES doc_nodes(id),
  number BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES doc_blobs(sha256),
  size BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  restored_from BIGINT,
  UNIQUE (node_id, number)
);
CREATE INDEX doc_versions_creator ON doc_versions (created_by);

-- Rights on a node and everything under it, for an audience ("person:5", "unit:2", ...).
CREATE TABLE doc_grants (
  id {{id}},
  node_id BIGINT NOT NULL REFERENCES doc_nodes(id),
  node_path TEXT NOT NULL,
  audience TEXT NOT NULL,
  access TEXT NOT NULL CHECK (access IN ('view', 'edit', 'manage')),
  implicit INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  UNIQUE (node_id, audience)
);
CREATE INDEX doc_grants_audience ON doc_grants (audience);

CREATE TABLE doc_links (
  id {{id}},
  node_id BIGINT NOT NULL REFERENCES doc_nodes(id),
  token_hash TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  downloads BIGINT NOT NULL DEFAULT 0,
  -- wrong passwords in a row, and until when the link refuses more tries
  unlock_failures INTEGER NOT NULL DEFAULT 0,
  unlock_blocked_until BIGINT
);
CREATE INDEX doc_links_node ON doc_links (node_id);

-- Resumable uploads in progress; the bytes so far live in the staging directory.
CREATE TABLE doc_uploads (
  id TEXT PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES people(id),
  folder_id BIGINT NOT NULL REFERENCES doc_nodes(id),
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  sha256 TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- What happened in which space, for the activity feed (filtered by access when read).
CREATE TABLE doc_activity (
  id {{id}},
  space_id BIGINT NOT NULL REFERENCES doc_spaces(id),
  node_id BIGINT NOT NULL,
  node_path TEXT NOT NULL,
  action TEXT NOT NULL,
  name TEXT NOT NULL,
  actor_id BIGINT REFERENCES people(id),
  at BIGINT NOT NULL
);
CREATE INDEX doc_activity_space ON doc_activity (space_id, id);

-- Full-text search over names and extracted text, folded (case and accents) by us first so
-- that both databases find the same things. `scope` holds the ids of the node and every folder
-- above it, so that the index itself keeps only what lies under the caller's grants (a word in
-- every document costs no more than the documents one may see).
--sqlite: CREATE VIRTUAL TABLE doc_search USING fts5(name, body, scope, tokenize = 'unicode61 remove_diacritics 2');
--postgresql: CREATE TABLE doc_search (rowid BIGINT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL, scope BIGINT[] NOT NULL, tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || body)) STORED);
--postgresql: CREATE INDEX doc_search_tsv ON doc_search USING GIN (tsv);
--postgresql: CREATE INDEX doc_search_scope ON doc_search USING GIN (scope);

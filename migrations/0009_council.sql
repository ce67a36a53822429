-- Council: bodies (units of kind 'body') with their statutory seats and rules, memberships over
-- time, sittings with agendas, attendance, votes, and each vote's hash-chained signed ledger.
-- Dates of membership are calendar days (YYYY-MM-DD, both ends included); times are seconds.

CREATE TABLE council_bodies (
  unit_id BIGINT PRIMARY KEY REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind IN ('council', 'standing_committee', 'temporary_committee')),
  jurisdiction TEXT NOT NULL CHECK (jurisdiction IN ('bg', 'pl')),
  seats BIGINT NOT NULL CHECK (seats >= 1),
  term_start TEXT NOT NULL,
  term_end TEXT,
  time_zone TEXT NOT NULL,
  vote_change BIGINT NOT NULL DEFAULT 0,
  camera_required BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Party groups (clubs) of a body.
CREATE TABLE council_groups (
  id {{id}},
  body_id BIGINT NOT NULL REFERENCES council_bodies(unit_id),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX council_groups_name ON council_groups (body_id, name);

-- Who held which place in a body, from when to when. Members, chairs and deputy chairs vote;
-- clerks do not.
CREATE TABLE council_memberships (
  id {{id}},
  body_id BIGINT NOT NULL REFERENCES council_bodies(unit_id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  role TEXT NOT NULL CHECK (role IN ('member', 'chair', 'deputy_chair', 'clerk')),
  seat TEXT NOT NULL DEFAULT '',
  group_id BIGINT REFERENCES council_groups(id),
  from_date TEXT NOT NULL,
  to_date TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX council_memberships_body ON council_memberships (body_id, from_date);
CREATE INDEX council_memberships_person ON council_memberships (person_id);

CREATE TABLE council_sittings (
  id {{id}},
  body_id BIGINT NOT NULL REFERENCES council_bodies(unit_id),
  number BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'extraordinary')),
  mode TEXT NOT NULL CHECK (mode IN ('in_person', 'remote', 'hybrid')),
  title TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL,
  local_start TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  duration BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'open', 'closed', 'cancelled')),
  meeting_id BIGINT REFERENCES meetings(id),
  opened_at BIGINT,
  closed_at BIGINT,
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX council_sittings_number ON council_sittings (body_id, number);
CREATE INDEX council_sittings_start ON council_sittings (starts_at);

-- Agenda items. The majority is a preset of LAW.md or 'custom' with its own base and fraction.
CREATE TABLE council_items (
  id {{id}},
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  position BIGINT NOT NULL,
  title TEXT NOT NULL,
  rapporteur TEXT NOT NULL DEFAULT '',
  draft TEXT NOT NULL DEFAULT '',
  majority TEXT NOT NULL,
  base TEXT NOT NULL,
  num BIGINT NOT NULL,
  den BIGINT NOT NULL,
  strict BIGINT NOT NULL,
  named_required BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('pending', 'current', 'done', 'withdrawn')),
  added_by_vote BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX council_items_sitting ON council_items (sitting_id, position);

-- A change to the agenda of an open sitting: it takes effect only when the vote on it is adopted.
CREATE TABLE council_agenda_changes (
  id {{id}},
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  kind TEXT NOT NULL CHECK (kind IN ('add', 'withdraw', 'move')),
  item_id BIGINT,
  position BIGINT,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('proposed', 'adopted', 'rejected')),
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL
);

-- Who is present now (one row per member who ever registered), and every arrival and departure.
CREATE TABLE council_attendance (
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  present BIGINT NOT NULL,
  remote BIGINT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (sitting_id, person_id)
);
CREATE TABLE council_attendance_log (
  id {{id}},
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  event TEXT NOT NULL CHECK (event IN ('arrived', 'left')),
  remote BIGINT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('self', 'roll_call', 'clerk', 'closing')),
  by_id BIGINT REFERENCES people(id),
  at BIGINT NOT NULL
);
CREATE INDEX council_attendance_log_sitting ON council_attendance_log (sitting_id, id);

-- Requests to speak and who has the floor. Waiting requests are taken in the order of their
-- kind (a point of order first, then replies, then speeches) and then of position.
CREATE TABLE council_speakers (
  id {{id}},
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  item_id BIGINT REFERENCES council_items(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('speech', 'reply', 'point_of_order')),
  status TEXT NOT NULL CHECK (status IN ('waiting', 'speaking', 'done', 'withdrawn')),
  position BIGINT NOT NULL,
  time_limit BIGINT,
  requested_at BIGINT NOT NULL,
  started_at BIGINT,
  ended_at BIGINT
);
CREATE INDEX council_speakers_sitting ON council_speakers (sitting_id, status);

-- Declared conflicts of interest (BG-C, PL-C): the member does not vote on the item.
CREATE TABLE council_conflicts (
  item_id BIGINT NOT NULL REFERENCES council_items(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  note TEXT NOT NULL DEFAULT '',
  declared_at BIGINT NOT NULL,
  PRIMARY KEY (item_id, person_id)
);

CREATE TABLE council_votes (
  id {{id}},
  sitting_id BIGINT NOT NULL REFERENCES council_sittings(id),
  item_id BIGINT REFERENCES council_items(id),
  agenda_change_id BIGINT REFERENCES council_agenda_changes(id),
  number BIGINT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('named', 'open', 'secret')),
  options TEXT NOT NULL,
  majority TEXT NOT NULL,
  base TEXT NOT NULL,
  num BIGINT NOT NULL,
  den BIGINT NOT NULL,
  strict BIGINT NOT NULL,
  quorum_num BIGINT NOT NULL,
  quorum_den BIGINT NOT NULL,
  quorum_strict BIGINT NOT NULL,
  seats BIGINT NOT NULL,
  present BIGINT NOT NULL,
  entitled BIGINT NOT NULL,
  voted BIGINT NOT NULL DEFAULT 0,
  vote_change BIGINT NOT NULL,
  manual BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
  opened_at BIGINT NOT NULL,
  closes_at BIGINT,
  closed_at BIGINT,
  opened_by BIGINT REFERENCES people(id),
  closed_by BIGINT REFERENCES people(id),
  result TEXT,
  tally TEXT NOT NULL DEFAULT '{}',
  repeat_of BIGINT REFERENCES council_votes(id),
  repeat_reason TEXT NOT NULL DEFAULT '',
  ledger_seq BIGINT NOT NULL DEFAULT 0,
  ledger_head TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX council_votes_number ON council_votes (sitting_id, number);
CREATE INDEX council_votes_status ON council_votes (status, closes_at);

-- Who may vote in a vote, fixed when it opens. `voted` says only that they did: no time, no
-- order, no ballot (a secret vote's ballots are in council_secret_ballots, apart).
CREATE TABLE council_vote_voters (
  vote_id BIGINT NOT NULL REFERENCES council_votes(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  name TEXT NOT NULL,
  group_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('entitled', 'absent', 'conflict')),
  voted BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (vote_id, person_id)
);

-- Named and open votes: each voter's ballot.
CREATE TABLE council_ballots (
  vote_id BIGINT NOT NULL REFERENCES council_votes(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  choice TEXT NOT NULL,
  seq BIGINT NOT NULL,
  cast_at BIGINT NOT NULL,
  PRIMARY KEY (vote_id, person_id)
);

-- Secret votes: the ballots, without voter or time; each signed when cast (so that nobody with
-- only the database can change one unseen) and put into the ledger at the close, in the order
-- of their random ids.
CREATE TABLE council_secret_ballots (
  vote_id BIGINT NOT NULL REFERENCES council_votes(id),
  ballot TEXT NOT NULL,
  choice TEXT NOT NULL,
  receipt TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (vote_id, ballot)
);
CREATE UNIQUE INDEX council_secret_ballots_receipt ON council_secret_ballots (receipt);

-- Every state change and ballot of a vote, hash-chained and signed (council/ledger.*).
CREATE TABLE council_ledger (
  vote_id BIGINT NOT NULL REFERENCES council_votes(id),
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL,
  receipt TEXT,
  PRIMARY KEY (vote_id, seq)
);
CREATE UNIQUE INDEX council_ledger_receipt ON council_ledger (receipt);

-- Bodies that existed before this module: the council and its committees from the units of
-- kind 'body' (Polish law where the organisation works in Polish, else Bulgarian; N guessed from
-- the councillors and chairs they have: check and correct it), with their councillors and chairs
-- as members and their clerks as clerks, from the start of a term long past.
INSERT INTO council_bodies (unit_id, kind, jurisdiction, seats, term_start, time_zone, created_at,
                            updated_at)
SELECT u.id, CASE WHEN u.parent_id IS NOT NULL AND EXISTS
                    (SELECT 1 FROM units p WHERE p.id = u.parent_id AND p.kind = 'body')
                  THEN 'standing_committee' ELSE 'council' END,
       CASE WHEN (SELECT value FROM settings WHERE key = 'locale') = 'pl' THEN 'pl' ELSE 'bg' END,
       (SELECT CASE WHEN COUNT(DISTINCT a.person_id) > 0 THEN COUNT(DISTINCT a.person_id) ELSE 1 END
          FROM role_assignments a
         WHERE a.scope_kind = 'body' AND a.scope_id = u.id AND a.role IN ('councillor', 'chair')),
       '2000-01-01',
       CASE WHEN (SELECT value FROM settings WHERE key = 'locale') = 'pl' THEN 'Europe/Warsaw'
            ELSE 'Europe/Sofia' END,
       u.created_at, u.created_at
  FROM units u WHERE u.kind = 'body';

INSERT INTO council_memberships (body_id, person_id, role, from_date, created_at, updated_at)
SELECT a.scope_id, a.person_id,
       CASE WHEN MAX(CASE WHEN a.role = 'chair' THEN 1 ELSE 0 END) = 1 THEN 'chair' ELSE 'member' END,
       '2000-01-01', MIN(u.created_at), MIN(u.created_at)
  FROM role_assignments a JOIN units u ON u.id = a.scope_id AND u.kind = 'body'
 WHERE a.scope_kind = 'body' AND a.role IN ('councillor', 'chair')
 GROUP BY a.scope_id, a.person_id;

INSERT INTO council_memberships (body_id, person_id, role, from_date, created_at, updated_at)
SELECT a.scope_id, a.person_id, 'clerk', '2000-01-01', MIN(u.created_at), MIN(u.created_at)
  FROM role_assignments a JOIN units u ON u.id = a.scope_id AND u.kind = 'body'
 WHERE a.scope_kind = 'body' AND a.role = 'clerk'
 GROUP BY a.scope_id, a.person_id;

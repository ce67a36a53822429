-- Workspace: rooms, meetings and their occurrences, invitations and answers, reminders and the
-- notifications people see in the app.

-- A personal room for everyone (created on first use) and meeting rooms kept by administrators.
CREATE TABLE rooms (
  id {{id}},
  kind TEXT NOT NULL CHECK (kind IN ('personal', 'meeting')),
  name TEXT NOT NULL,
  owner_id BIGINT REFERENCES people(id),
  unit_id BIGINT REFERENCES units(id),
  capacity INTEGER,
  description TEXT NOT NULL DEFAULT '',
  lobby INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT
);
CREATE UNIQUE INDEX rooms_personal ON rooms (owner_id) WHERE kind = 'personal';

-- Who may enter a meeting room at any time (a personal room: its owner).
CREATE TABLE room_members (
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  added_at BIGINT NOT NULL,
  PRIMARY KEY (room_id, person_id)
);
CREATE INDEX room_members_person ON room_members (person_id);

-- A meeting is kept as a wall time in its organiser's zone; a repeating one has an RRULE and its
-- occurrences are written out (in UTC) up to a horizon that a daily job moves forward.
CREATE TABLE meetings (
  id {{id}},
  uid TEXT NOT NULL UNIQUE,
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  organiser_id BIGINT NOT NULL REFERENCES people(id),
  title TEXT NOT NULL,
  agenda TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL,
  local_start TEXT NOT NULL,
  duration BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  rrule TEXT,
  expanded_until BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
  sequence INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_room ON meetings (room_id);

CREATE TABLE meeting_occurrences (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, starts_at)
);
CREATE INDEX meeting_occurrences_time ON meeting_occurrences (starts_at);

-- Invitations are to people; one given to a unit or a group is written out for its members then
-- (`via` says how), so each person answers for themself.
CREATE TABLE meeting_invitees (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  via TEXT NOT NULL,
  response TEXT NOT NULL CHECK (response IN ('needs-action', 'accepted', 'tentative', 'declined')),
  comment TEXT NOT NULL DEFAULT '',
  responded_at BIGINT,
  PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_invitees_person ON meeting_invitees (person_id, meeting_id);

-- Each invitee's occurrences, by person and time: "my meetings this week" is one index range,
-- however many meetings a person has (kept with the occurrences and the invitees).
CREATE TABLE meeting_attendance (
  person_id BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (person_id, starts_at, meeting_id)
);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id, person_id);

-- Minutes before a meeting: a person's defaults (meeting_id NULL) or their choice for one
-- meeting (a row with minutes = -1 means "no reminders for this one").
CREATE TABLE reminder_offsets (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  meeting_id BIGINT REFERENCES meetings(id),
  minutes INTEGER NOT NULL
);
CREATE INDEX reminder_offsets_person ON reminder_offsets (person_id, meeting_id);

-- Each reminder once, whatever node or restart: the key is the occurrence and the offset.
CREATE TABLE reminders_sent (
  meeting_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  occurrence_start BIGINT NOT NULL,
  minutes INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, person_id, occurrence_start, minutes)
);

CREATE TABLE notifications (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_person ON notifications (person_id, id);
CREATE INDEX notifications_unread ON notifications (person_id, read_at);

-- Until when reminders were sent (the sweep's watermark).
CREATE TABLE workspace_state (
  key TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

-- Chat beside every meeting and in every room: seen only by those who may be there.
CREATE TABLE chat_messages (
  id {{id}},
  meeting_id BIGINT REFERENCES meetings(id),
  room_id BIGINT REFERENCES rooms(id),
  author_id BIGINT NOT NULL REFERENCES people(id),
  body TEXT NOT NULL,
  document_id BIGINT,
  document_name TEXT,
  mentions TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  deleted_at BIGINT,
  CHECK ((meeting_id IS NULL) <> (room_id IS NULL))
);
CREATE INDEX chat_messages_meeting ON chat_messages (meeting_id, id);
CREATE INDEX chat_messages_room ON chat_messages (room_id, id);

-- Presence: what a person said of themself, and their open connections per node (online is
-- "has a connection anywhere"; each node confirms its rows every minute, so the rows of a node
-- that died stop counting after a few minutes).
CREATE TABLE presence (
  person_id BIGINT PRIMARY KEY REFERENCES people(id),
  status TEXT NOT NULL CHECK (status IN ('available', 'busy', 'away')),
  dnd INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE TABLE presence_sockets (
  node_id TEXT NOT NULL,
  person_id BIGINT NOT NULL,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (node_id, person_id)
);
CREATE INDEX presence_sockets_person ON presence_sockets (person_id);

-- A person's calendar subscription: a secret address calendar programs poll (only its hash is
-- kept; a new one replaces the old, and it can be taken back).
CREATE TABLE calendar_feeds (
  person_id BIGINT PRIMARY KEY REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);

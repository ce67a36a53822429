-- Video and audio. A workspace room's live meeting is a VideoRoom room on one Janus instance
-- (placed at first use, made again after Janus restarts). Janus's secrets are not stored here:
-- each room's secret is derived from the server's key and the Janus room id.
-- Each live session gets a new Janus room id. pin_generation moves on whenever someone is
-- removed or the room is locked, so join credentials handed out earlier stop working at
-- once; session_started_at: the current live session (NULL: none), whose end
-- clears removals and lobby answers.
CREATE TABLE media_rooms (
  room_id BIGINT PRIMARY KEY REFERENCES rooms(id),
  instance TEXT NOT NULL,
  janus_room BIGINT NOT NULL UNIQUE,
  pin_generation BIGINT NOT NULL DEFAULT 0,
  locked_at BIGINT,
  locked_by BIGINT REFERENCES people(id),
  session_started_at BIGINT,
  recording_started_at BIGINT,
  created_at BIGINT NOT NULL
);

-- Every join: Ratusha chooses the participant's Janus id, so everyone's name comes from here
-- and never from what a browser tells Janus. streams: what the browser published (JSON
-- [{"mid","type"}]), which a host's mute needs; muted_*: muted by a host.
CREATE TABLE media_participants (
  id {{id}},
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  janus_id BIGINT NOT NULL,
  host INTEGER NOT NULL DEFAULT 0,
  streams TEXT NOT NULL DEFAULT '[]',
  hand_raised INTEGER NOT NULL DEFAULT 0,
  muted_audio INTEGER NOT NULL DEFAULT 0,
  muted_video INTEGER NOT NULL DEFAULT 0,
  joined_at BIGINT NOT NULL,
  left_at BIGINT,
  removed_by BIGINT REFERENCES people(id),
  UNIQUE (room_id, janus_id)
);
CREATE INDEX media_participants_room ON media_participants (room_id, left_at);
CREATE INDEX media_participants_person ON media_participants (person_id);

-- Who asked to come in (a room with a lobby) or was removed, and the host's answer, for the
-- current session: a removed person is refused until a host admits them again.
CREATE TABLE media_admissions (
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  state TEXT NOT NULL CHECK (state IN ('waiting', 'admitted', 'refused')),
  asked_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by BIGINT REFERENCES people(id),
  PRIMARY KEY (room_id, person_id)
);

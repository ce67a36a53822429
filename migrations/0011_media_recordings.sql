-- Recordings of live meetings, on a host's request: Janus writes each participant's streams
-- into `directory` between started_at and stopped_at (kept, in milliseconds, for indexing the
-- file later); a job turns them into one WebM stored as a document of the meeting (or, with
-- no meeting on, of the person who started it).
CREATE TABLE media_recordings (
  id {{id}},
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  meeting_id BIGINT REFERENCES meetings(id),
  instance TEXT NOT NULL,
  janus_room BIGINT NOT NULL,
  directory TEXT NOT NULL,
  started_by BIGINT NOT NULL REFERENCES people(id),
  started_at_ms BIGINT NOT NULL,
  stopped_by BIGINT REFERENCES people(id),
  stopped_at_ms BIGINT,
  state TEXT NOT NULL CHECK (state IN ('recording', 'processing', 'ready', 'failed')),
  document_id BIGINT REFERENCES doc_nodes(id),
  size BIGINT,
  problem TEXT NOT NULL DEFAULT ''
);
CREATE INDEX media_recordings_room ON media_recordings (room_id, id);

-- "Call a colleague now": an instant one-to-one meeting in the caller's personal room that rings
-- the callee, who accepts or declines; unanswered it becomes a missed call.
CREATE TABLE calls (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  caller_id BIGINT NOT NULL REFERENCES people(id),
  callee_id BIGINT NOT NULL REFERENCES people(id),
  state TEXT NOT NULL CHECK (state IN ('ringing', 'accepted', 'declined', 'missed', 'cancelled', 'ended')),
  message TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  answered_at BIGINT,
  ended_at BIGINT
);
CREATE INDEX calls_caller ON calls (caller_id, state);
CREATE INDEX calls_callee ON calls (callee_id, state);

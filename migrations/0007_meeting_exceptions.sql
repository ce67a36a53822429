-- One occurrence of a repeating meeting moved or cancelled (RFC 5545 RECURRENCE-ID and EXDATE),
-- by the start its rule gives it. Applied whenever the occurrences are written out; dropped when
-- the series' own time or rule changes (as calendar programs do).
CREATE TABLE meeting_exceptions (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  original_start BIGINT NOT NULL,
  starts_at BIGINT,
  ends_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, original_start)
);

-- People from outside invited to a meeting by e-mail: each invitation is a link (only its hash
-- is kept) that works once, while the meeting is on (from 15 minutes before an occurrence until
-- it ends), for 30 days. Using it starts a session for the guest (a person of kind 'guest', an
-- invitee of the meeting) that ends with that occurrence. starts_at: the occurrence that was
-- next when the invitation went out.
CREATE TABLE meeting_guest_links (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX meeting_guest_links_meeting ON meeting_guest_links (meeting_id);

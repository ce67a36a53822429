-- Outgoing e-mail. Each message is written in full (MIME, 7-bit, CRLF) when it is queued,
-- inside the transaction that decided to send it, and a mail.send job delivers it; a row
-- marked sent is never sent again. dedupe_key: the same key queued twice is one message.
CREATE TABLE mail_outbox (
  id {{id}},
  dedupe_key TEXT UNIQUE,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL,
  mime TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX mail_outbox_status ON mail_outbox (status, id);

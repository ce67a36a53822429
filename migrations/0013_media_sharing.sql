-- Who shares their screen (in place of their camera): the others show that picture large and
-- say who presents. Cleared with the raised hand when the participant leaves.
ALTER TABLE media_participants ADD COLUMN sharing INTEGER NOT NULL DEFAULT 0;

-- Issue 11: reliability and security.

-- One row per user name and per client address, updated by every login attempt before the
-- password is checked: the row lock makes parallel attempts count one after the other.
CREATE TABLE login_locks (
    chiave TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

-- Each e-mail belongs to the company it was queued for: the development mailbox shows it to
-- that company only, whatever PEC the company (or another) has today. Older mails have none.
ALTER TABLE email_outbox ADD COLUMN contribuente_id BIGINT REFERENCES contribuenti(id);
CREATE INDEX email_outbox_contribuente ON email_outbox(contribuente_id, id);

-- Personal API tokens: an optional expiry (the token authenticates nothing from that instant)
-- and a read-only scope (GET only).
ALTER TABLE api_tokens ADD COLUMN scade_il TEXT;
ALTER TABLE api_tokens ADD COLUMN sola_lettura BIGINT NOT NULL DEFAULT 0;

-- The audit chain is keyed (HMAC; the key's name per record, the key outside the database).
ALTER TABLE audit_log ADD COLUMN key_id TEXT;

-- The per-user submission limit counts a user's recent requests.
CREATE INDEX richieste_richiedente ON richieste(richiedente_user_id, created_at);

-- Two-way requests are a conversation: the contributor may add messages while the request is
-- open. dal_contribuente = 1 marks those; branch replies and internal notes keep 0.
ALTER TABLE richieste_note ADD COLUMN dal_contribuente BIGINT NOT NULL DEFAULT 0;

-- Two-way requests are a conversation: the contributor may add messages while the request is
-- open. dal_contribuente = 1 marks those; branch replies and internal notes keep 0.
ALTER TABLE richieste_note ADD COLUMN dal_contribuente BIGINT NOT NULL DEFAULT 0;

-- Search by partita IVA (Fascicolo): without it the lookup read every contributor (158 ms p50 on
-- 200,000 companies in `cargo xtask bench`).
CREATE INDEX contribuenti_partita_iva ON contribuenti(partita_iva);

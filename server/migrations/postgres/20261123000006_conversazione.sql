-- Two-way requests are a conversation: the contributor may add messages while the request is
-- open. dal_contribuente = 1 marks those; branch replies and internal notes keep 0.
ALTER TABLE richieste_note ADD COLUMN dal_contribuente BIGINT NOT NULL DEFAULT 0;

-- Search by the start of the name (Fascicolo) over millions of contributors: text_pattern_ops
-- lets LIKE 'prefix%' use the index whatever the database's collation.
CREATE INDEX contribuenti_nome ON contribuenti(LOWER(ragione_sociale) text_pattern_ops);
-- The results are listed in that order: with this second index PostgreSQL can walk the names in
-- order and stop at the page's end instead of sorting every match of a common prefix.
CREATE INDEX contribuenti_nome_ordine ON contribuenti(LOWER(ragione_sociale), id);

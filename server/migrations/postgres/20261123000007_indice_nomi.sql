-- Engine-specific on purpose (see db::tests::migrations_are_in_lockstep).
-- Search by the start of the name (Fascicolo) over millions of contributors: text_pattern_ops
-- lets LIKE 'prefix%' use the index whatever the database's collation.
CREATE INDEX contribuenti_nome ON contribuenti(LOWER(ragione_sociale) text_pattern_ops);
-- The results are listed in that order: with this second index PostgreSQL can walk the names in
-- order and stop at the page's end instead of sorting every match of a common prefix.
CREATE INDEX contribuenti_nome_ordine ON contribuenti(LOWER(ragione_sociale), id);

-- Engine-specific on purpose (see db::tests::migrations_are_in_lockstep).
-- Search by the start of the name (Fascicolo) over millions of contributors: an index on the
-- lower-cased name, read as a range (see fascicolo::search_contributors).
CREATE INDEX contribuenti_nome ON contribuenti(LOWER(ragione_sociale), id);

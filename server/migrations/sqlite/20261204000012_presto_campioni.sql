-- Samples for checking self-declarations (Msg. 1099/2018 §5): a named list drawn from a list of
-- the operator's sede with a recorded seed (re-drawable), worked through row by row.
CREATE TABLE campioni (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nome TEXT NOT NULL,
    tipo TEXT NOT NULL,
    -- The list's filters as typed (JSON), the seed (decimal text: a u64) and the size asked.
    filtri_json TEXT NOT NULL,
    seme TEXT NOT NULL,
    percentuale BIGINT,
    numero BIGINT,
    stratificato BIGINT NOT NULL DEFAULT 0,
    righe_elenco BIGINT NOT NULL,
    -- Where it was drawn: the operator's sede (NULL: a regional or national list).
    sede_id BIGINT REFERENCES sedi(id),
    regione TEXT,
    creato_da BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX campioni_sede ON campioni(sede_id, id);

CREATE TABLE campioni_righe (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campione_id BIGINT NOT NULL REFERENCES campioni(id),
    posizione BIGINT NOT NULL,
    soggetto_tipo TEXT NOT NULL,
    soggetto_id BIGINT NOT NULL,
    denominazione TEXT NOT NULL,
    codice_fiscale TEXT NOT NULL,
    strato TEXT NOT NULL,
    prestazioni BIGINT NOT NULL,
    compenso_cents BIGINT NOT NULL,
    -- conforme | non_conforme | non_verificabile, with the operator's note.
    esito TEXT,
    nota TEXT,
    verificato_da BIGINT REFERENCES users(id),
    verificato_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campione_id, posizione)
);
-- The sede's lists aggregate the prestazioni of a period per user or prestatore from these
-- covering indexes alone (the table's rows are wide: the checks' JSON).
CREATE INDEX prestazioni_elenco_utilizzatore ON prestazioni(utilizzatore_id, giorno, stato, compenso_cents);
CREATE INDEX prestazioni_elenco_prestatore ON prestazioni(prestatore_id, giorno, stato, compenso_cents);

-- Smart-Task requests, their timeline, protocol numbers, notifications and dated parameters.

CREATE TABLE richieste (
    id BIGSERIAL PRIMARY KEY,
    protocollo TEXT NOT NULL UNIQUE,
    tipo TEXT NOT NULL,
    contribuente_id BIGINT NOT NULL REFERENCES contribuenti(id),
    richiedente_user_id BIGINT NOT NULL REFERENCES users(id),
    oggetto TEXT NOT NULL,
    risposte_json TEXT NOT NULL,
    stato TEXT NOT NULL,
    data_riferimento TEXT NOT NULL,
    esito_motivo TEXT,
    ruleset TEXT,
    decisione_json TEXT,
    idempotency_key TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (richiedente_user_id, idempotency_key)
);
CREATE INDEX richieste_contribuente ON richieste(contribuente_id, created_at);
CREATE INDEX richieste_oggetto ON richieste(tipo, oggetto, stato);

CREATE TABLE richieste_eventi (
    id BIGSERIAL PRIMARY KEY,
    richiesta_id BIGINT NOT NULL REFERENCES richieste(id),
    stato TEXT NOT NULL,
    nota TEXT,
    at TEXT NOT NULL
);
CREATE INDEX richieste_eventi_richiesta ON richieste_eventi(richiesta_id);

-- One row per year; the UPDATE … RETURNING that hands out a number also serialises writers.
CREATE TABLE protocolli (
    anno BIGINT PRIMARY KEY,
    ultimo BIGINT NOT NULL
);

CREATE TABLE notifiche (
    id BIGSERIAL PRIMARY KEY,
    contribuente_id BIGINT NOT NULL REFERENCES contribuenti(id),
    richiesta_id BIGINT REFERENCES richieste(id),
    testo TEXT NOT NULL,
    letta BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX notifiche_contribuente ON notifiche(contribuente_id, letta);

CREATE TABLE email_outbox (
    id BIGSERIAL PRIMARY KEY,
    destinatario TEXT NOT NULL,
    oggetto TEXT NOT NULL,
    corpo TEXT NOT NULL,
    stato TEXT NOT NULL,
    tentativi BIGINT NOT NULL DEFAULT 0,
    errore TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Parameters that change over time, read as of a request's reference date.
CREATE TABLE parametri (
    nome TEXT NOT NULL,
    valido_dal TEXT NOT NULL,
    valore TEXT NOT NULL,
    fonte TEXT NOT NULL,
    PRIMARY KEY (nome, valido_dal)
);
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO', '2023-12-31', '365', 'Scelta di progetto [D]: una revoca si programma al più entro un anno');

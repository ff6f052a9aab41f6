-- Support requests of prestazioni occasionali users (Msg. 1099/2018: the portal exists so that the
-- sede can help its users): a Libretto Famiglia user or a prestatore is a person, not a company,
-- so a request, and its notifications, belong either to a contribuente or to a person. A person's
-- request is addressed to the sede of its registration, recorded when it is sent.
--
-- SQLite cannot drop a NOT NULL: both tables are rebuilt. The rows referring to them (events,
-- notes, attachments, read marks) are orphaned between the DROP and the INSERT, so the foreign
-- keys are checked at commit instead (a row that did not come back makes the commit fail).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE richieste_copia AS SELECT * FROM richieste;
DROP TABLE richieste;
CREATE TABLE richieste (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    protocollo TEXT NOT NULL UNIQUE,
    tipo TEXT NOT NULL,
    contribuente_id BIGINT REFERENCES contribuenti(id),
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
    matricola TEXT,
    operatore_id BIGINT REFERENCES users(id),
    persona_id BIGINT REFERENCES persone(id),
    sede_id BIGINT REFERENCES sedi(id),
    UNIQUE (richiedente_user_id, idempotency_key),
    CONSTRAINT richieste_un_soggetto
        CHECK ((contribuente_id IS NULL) <> (persona_id IS NULL) AND (persona_id IS NULL) = (sede_id IS NULL))
);
INSERT INTO richieste (id, protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                       data_riferimento, esito_motivo, ruleset, decisione_json, idempotency_key, created_at,
                       updated_at, version, matricola, operatore_id)
SELECT id, protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
       data_riferimento, esito_motivo, ruleset, decisione_json, idempotency_key, created_at,
       updated_at, version, matricola, operatore_id
FROM richieste_copia;
DROP TABLE richieste_copia;
CREATE INDEX richieste_contribuente ON richieste(contribuente_id, created_at);
CREATE INDEX richieste_oggetto ON richieste(tipo, oggetto, stato);
CREATE INDEX richieste_matricola ON richieste(contribuente_id, matricola);
CREATE INDEX richieste_stato ON richieste(stato, contribuente_id);
CREATE INDEX richieste_richiedente ON richieste(richiedente_user_id, created_at);
CREATE INDEX richieste_persona ON richieste(persona_id, created_at);
CREATE INDEX richieste_sede_stato ON richieste(sede_id, stato);

CREATE TABLE notifiche_copia AS SELECT * FROM notifiche;
DROP TABLE notifiche;
CREATE TABLE notifiche (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contribuente_id BIGINT REFERENCES contribuenti(id),
    richiesta_id BIGINT REFERENCES richieste(id),
    testo TEXT NOT NULL,
    letta BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    persona_id BIGINT REFERENCES persone(id),
    CONSTRAINT notifiche_un_soggetto CHECK ((contribuente_id IS NULL) <> (persona_id IS NULL))
);
INSERT INTO notifiche (id, contribuente_id, richiesta_id, testo, letta, created_at)
SELECT id, contribuente_id, richiesta_id, testo, letta, created_at FROM notifiche_copia;
DROP TABLE notifiche_copia;
CREATE INDEX notifiche_contribuente ON notifiche(contribuente_id, letta);
CREATE INDEX notifiche_persona ON notifiche(persona_id, letta);

ALTER TABLE email_outbox ADD COLUMN persona_id BIGINT REFERENCES persone(id);
CREATE INDEX email_outbox_persona ON email_outbox(persona_id, id);

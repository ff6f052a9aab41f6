-- Data that Smart-Task kinds 1–3 act on: notes di rettifica (NdR) with the contacts they are
-- notified to, UniEmens/DM10 reports by period, F24 payment lines; plus per-user notification
-- reads, personal API tokens and the e-mail sender's retry schedule.

-- Where the NdR of a position are notified. `anomalia` is set by the delivery system
-- (mancata_consegna, casella_piena, indirizzo_non_valido, non_pec); a contact owned by a
-- delegato points to the delega. Deletion is logical (`cancellato_il`), never a DELETE.
CREATE TABLE contatti_notifica (
    id BIGSERIAL PRIMARY KEY,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    canale TEXT NOT NULL,
    indirizzo TEXT NOT NULL,
    titolare TEXT NOT NULL,
    delega_id BIGINT REFERENCES deleghe(id),
    anomalia TEXT,
    anomalia_dal TEXT,
    cancellato_il TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contatti_notifica_posizione ON contatti_notifica(posizione_id);

-- One row per report sent for a period: the original and any later variation. What is owed
-- for a period is the amount of its latest report.
CREATE TABLE denunce (
    id BIGSERIAL PRIMARY KEY,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    periodo TEXT NOT NULL,
    tipo TEXT NOT NULL,
    dovuto_cents BIGINT NOT NULL,
    trasmessa_il TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX denunce_posizione_periodo ON denunce(posizione_id, periodo);

-- F24 lines of the INPS section. `contribuente_id` is the payer's codice fiscale resolved to a
-- contributor, `posizione_id` the stated matricola resolved to a position (NULL when it matches
-- none). `utilizzo` records a use that blocks a change of period (nota_rettifica,
-- avviso_addebito, rettifica).
CREATE TABLE pagamenti (
    id BIGSERIAL PRIMARY KEY,
    contribuente_id BIGINT REFERENCES contribuenti(id),
    codice_fiscale_versante TEXT NOT NULL,
    matricola_indicata TEXT NOT NULL,
    posizione_id BIGINT REFERENCES posizioni(id),
    data_versamento TEXT NOT NULL,
    importo_cents BIGINT NOT NULL,
    sede_codice TEXT NOT NULL,
    causale TEXT NOT NULL,
    periodo_indicato TEXT NOT NULL,
    periodo_attribuito TEXT NOT NULL,
    utilizzo TEXT,
    rettificato_il TEXT,
    origine_id BIGINT REFERENCES pagamenti(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pagamenti_contribuente ON pagamenti(contribuente_id);
CREATE INDEX pagamenti_posizione_periodo ON pagamenti(posizione_id, periodo_attribuito);

-- stato: attiva, annullata, saldata, avviso_addebito. `versione` counts recomputations.
CREATE TABLE note_rettifica (
    id BIGSERIAL PRIMARY KEY,
    numero TEXT NOT NULL UNIQUE,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    periodo TEXT NOT NULL,
    importo_cents BIGINT NOT NULL,
    stato TEXT NOT NULL,
    emessa_il TEXT NOT NULL,
    riesame_in_corso BIGINT NOT NULL DEFAULT 0,
    versione BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX note_rettifica_posizione ON note_rettifica(posizione_id);

-- Each recomputation: the amounts before and after and why (the diff the contributor sees).
CREATE TABLE note_rettifica_versioni (
    id BIGSERIAL PRIMARY KEY,
    nota_id BIGINT NOT NULL REFERENCES note_rettifica(id),
    versione BIGINT NOT NULL,
    esito TEXT NOT NULL,
    importo_prima_cents BIGINT NOT NULL,
    importo_dopo_cents BIGINT NOT NULL,
    dettaglio_json TEXT NOT NULL,
    protocollo TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (nota_id, versione)
);

-- A notification is read per user: an intermediary reading it does not hide it from the employer.
CREATE TABLE notifiche_lette (
    notifica_id BIGINT NOT NULL REFERENCES notifiche(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    letta_il TEXT NOT NULL,
    PRIMARY KEY (notifica_id, user_id)
);

-- Personal API tokens for intermediaries' software: only a hash is stored; the token is shown
-- once. `prefisso` (first characters) lets the owner tell tokens apart.
CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    nome TEXT NOT NULL,
    prefisso TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    ultimo_uso TEXT,
    revocato_il TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

ALTER TABLE email_outbox ADD COLUMN prossimo_tentativo TEXT;

-- The matricola a request concerns, when its target belongs to one (list filter).
ALTER TABLE richieste ADD COLUMN matricola TEXT;
CREATE INDEX richieste_matricola ON richieste(contribuente_id, matricola);
CREATE INDEX email_outbox_stato ON email_outbox(stato, prossimo_tentativo);

-- Contributions are time-barred after 5 years since L. 335/1995 (from 1 January 1996); 10 years before.
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.PRESCRIZIONE_CONTRIBUTI.ANNI', '1970-01-01', '10', 'Regime anteriore alla L. 335/1995: prescrizione decennale');
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.PRESCRIZIONE_CONTRIBUTI.ANNI', '1996-01-01', '5', 'L. 335/1995, art. 3, commi 9 e 10');
-- F24 causali that are DM10 contributions (may be extended by a dated row).
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10', '1970-01-01', 'DM10', 'Modello F24, sezione INPS: causale DM10 per i contributi dei lavoratori dipendenti');

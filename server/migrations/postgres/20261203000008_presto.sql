-- Prestazioni occasionali: registrations, the electronic wallet (payments in, balance), the
-- prestazioni with their checks, the payments to prestatori, the dated parameters of the limits.

ALTER TABLE utilizzatori ADD COLUMN ateco TEXT;
-- Average open-ended employees × 100 (the real average: 3,5 is 350).
ALTER TABLE utilizzatori ADD COLUMN dipendenti_centesimi BIGINT;
-- The balance, moved in the same transaction as every payment in and every prestazione; an
-- UPDATE of this row is also the per-user lock of the limit checks.
ALTER TABLE utilizzatori ADD COLUMN saldo_cents BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX utilizzatori_persona ON utilizzatori(persona_id, strumento);
CREATE UNIQUE INDEX utilizzatori_contribuente ON utilizzatori(contribuente_id);

ALTER TABLE prestatori ADD COLUMN modalita_pagamento TEXT NOT NULL DEFAULT 'iban';
-- Bumped (UPDATE) by every prestazione: the per-prestatore lock of limit (a).
ALTER TABLE prestatori ADD COLUMN prestazioni_seq BIGINT NOT NULL DEFAULT 0;

-- Self-declared special categories (75 % rule), each with its validity.
CREATE TABLE prestatori_categorie (
    id BIGSERIAL PRIMARY KEY,
    prestatore_id BIGINT NOT NULL REFERENCES prestatori(id),
    categoria TEXT NOT NULL,
    dal TEXT NOT NULL,
    al TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX prestatori_categorie_prestatore ON prestatori_categorie(prestatore_id);

-- Employment or co.co.co. between the two parties (forbidden pair for 6 months after its end).
CREATE TABLE rapporti_lavoro (
    id BIGSERIAL PRIMARY KEY,
    utilizzatore_id BIGINT NOT NULL REFERENCES utilizzatori(id),
    prestatore_id BIGINT NOT NULL REFERENCES prestatori(id),
    tipo TEXT NOT NULL,
    dal TEXT NOT NULL,
    al TEXT
);
CREATE INDEX rapporti_lavoro_coppia ON rapporti_lavoro(utilizzatore_id, prestatore_id);

-- Money paid in: F24 flow lines (credited or unmatched, with the reason) and pagoPA receipts.
CREATE TABLE versamenti (
    id BIGSERIAL PRIMARY KEY,
    canale TEXT NOT NULL,
    riferimento TEXT NOT NULL UNIQUE,
    codice_fiscale TEXT NOT NULL,
    causale TEXT NOT NULL,
    anno BIGINT NOT NULL,
    importo_cents BIGINT NOT NULL,
    data_versamento TEXT NOT NULL,
    utilizzatore_id BIGINT REFERENCES utilizzatori(id),
    stato TEXT NOT NULL,
    motivo TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX versamenti_utilizzatore ON versamenti(utilizzatore_id, data_versamento);
CREATE INDEX versamenti_stato ON versamenti(stato, codice_fiscale);

CREATE TABLE pagamenti_prestatori (
    id BIGSERIAL PRIMARY KEY,
    prestatore_id BIGINT NOT NULL REFERENCES prestatori(id),
    mese TEXT NOT NULL,
    importo_cents BIGINT NOT NULL,
    prestazioni BIGINT NOT NULL,
    modalita TEXT NOT NULL,
    iban TEXT,
    data_pagamento TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (prestatore_id, mese)
);

CREATE TABLE prestazioni (
    id BIGSERIAL PRIMARY KEY,
    utilizzatore_id BIGINT NOT NULL REFERENCES utilizzatori(id),
    prestatore_id BIGINT NOT NULL REFERENCES prestatori(id),
    strumento TEXT NOT NULL,
    anno BIGINT NOT NULL,
    giorno TEXT NOT NULL,
    ora_inizio TEXT,
    ora_fine TEXT,
    minuti BIGINT NOT NULL,
    titoli BIGINT,
    compenso_cents BIGINT NOT NULL,
    ivs_cents BIGINT NOT NULL,
    inail_cents BIGINT NOT NULL,
    oneri_cents BIGINT NOT NULL,
    costo_cents BIGINT NOT NULL,
    -- What counts toward the user's limit (b): 75 % of the pay for special categories.
    peso_limite_cents BIGINT NOT NULL,
    luogo TEXT,
    oggetto TEXT,
    finalita_pa TEXT,
    stato TEXT NOT NULL,
    controlli_json TEXT NOT NULL,
    -- Last day of the revocation window (the day plus PO.REVOCA_GIORNI as of the day).
    revocabile_fino TEXT NOT NULL,
    pagamento_id BIGINT REFERENCES pagamenti_prestatori(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revocata_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX prestazioni_utilizzatore ON prestazioni(utilizzatore_id, anno, stato);
CREATE INDEX prestazioni_prestatore ON prestazioni(prestatore_id, anno, stato);
CREATE INDEX prestazioni_da_pagare ON prestazioni(stato, giorno);

-- Operators of the prestazioni occasionali portal (the seed's OperatoreSede profile), given by
-- the IDM administrator apart from the Fascicolo's roles.
ALTER TABLE users ADD COLUMN profilo_presto BIGINT NOT NULL DEFAULT 0;

INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES
 ('PO.LIMITE.PRESTATORE', '2017-01-01', '500000', 'art. 54-bis c.1 lett. a D.L. 50/2017 (centesimi)'),
 ('PO.LIMITE.UTILIZZATORE', '2017-01-01', '500000', 'art. 54-bis c.1 lett. b D.L. 50/2017 (centesimi)'),
 ('PO.LIMITE.UTILIZZATORE', '2023-01-01', '1000000', 'art. 1 c.342 L. 197/2022 (centesimi)'),
 ('PO.LIMITE.UTILIZZATORE_EVENTI', '2023-05-05', '1500000', 'art. 37 D.L. 48/2023, in vigore dal 5/5/2023 (centesimi)'),
 ('PO.LIMITE.COPPIA', '2017-01-01', '250000', 'art. 54-bis c.1 lett. c D.L. 50/2017 (centesimi)'),
 ('PO.LIMITE.ORE_COPPIA', '2017-01-01', '280', 'art. 54-bis c.20 D.L. 50/2017 (ore)'),
 ('PO.PERCENTUALE_CATEGORIE_SPECIALI', '2017-01-01', '75', 'art. 54-bis c.8 D.L. 50/2017'),
 ('PO.CPO.MINIMO_ORARIO', '2017-01-01', '900', 'art. 54-bis c.16 D.L. 50/2017 (centesimi)'),
 ('PO.CPO.MINIMO_GIORNALIERO', '2017-01-01', '3600', 'art. 54-bis c.16 D.L. 50/2017 (centesimi)'),
 ('PO.CPO.AGRICOLTURA_AMMESSA', '2017-01-01', '1', 'art. 54-bis c.14 D.L. 50/2017'),
 ('PO.CPO.AGRICOLTURA_AMMESSA', '2023-01-01', '0', 'art. 1 c.343 L. 197/2022'),
 ('PO.CPO.PREAVVISO_MINUTI', '2017-01-01', '60', 'art. 54-bis c.17 D.L. 50/2017'),
 ('PO.REVOCA_GIORNI', '2017-01-01', '3', 'art. 54-bis c.17 D.L. 50/2017'),
 ('PO.RAPPORTO_VIETATO_MESI', '2017-01-01', '6', 'art. 54-bis c.5 D.L. 50/2017'),
 ('PO.CAP_DIPENDENTI.GENERALE', '2017-01-01', '5', 'art. 54-bis c.14 lett. a D.L. 50/2017'),
 ('PO.CAP_DIPENDENTI.GENERALE', '2023-01-01', '10', 'art. 1 c.342 L. 197/2022'),
 ('PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO', '2017-01-01', '5', 'art. 54-bis c.14 lett. a D.L. 50/2017'),
 ('PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO', '2018-07-14', '8', 'D.L. 87/2018, in vigore dal 14/7/2018'),
 ('PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO', '2023-01-01', '10', 'art. 1 c.342 L. 197/2022'),
 ('PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI', '2017-01-01', '5', 'art. 54-bis c.14 lett. a D.L. 50/2017'),
 ('PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI', '2023-01-01', '10', 'art. 1 c.342 L. 197/2022'),
 ('PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI', '2023-05-05', '25', 'art. 37 D.L. 48/2023'),
 ('PO.CAP_DIPENDENTI.AGRICOLTURA', '2017-01-01', '5', 'art. 54-bis c.14 lett. a D.L. 50/2017');

-- Refunds of the unused balance and transfers of a payment made under the wrong instrument
-- (announced by Msg. 1099/2018): the amount is taken from the wallet when asked (so it cannot
-- be spent twice) and given back if the branch refuses.
CREATE TABLE rimborsi (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    utilizzatore_id BIGINT NOT NULL REFERENCES utilizzatori(id),
    -- rimborso | trasferimento
    tipo TEXT NOT NULL,
    importo_cents BIGINT NOT NULL,
    iban TEXT,
    destinazione_id BIGINT REFERENCES utilizzatori(id),
    versamento_id BIGINT REFERENCES versamenti(id),
    motivo TEXT NOT NULL,
    -- richiesto | approvato | rifiutato
    stato TEXT NOT NULL,
    richiesto_da BIGINT NOT NULL REFERENCES users(id),
    richiesto_at TEXT NOT NULL,
    deciso_da BIGINT REFERENCES users(id),
    deciso_at TEXT,
    nota_decisione TEXT
);
CREATE INDEX rimborsi_utilizzatore ON rimborsi(utilizzatore_id, id);
CREATE INDEX rimborsi_stato ON rimborsi(stato, id);
-- A payment moves to the other instrument once.
CREATE UNIQUE INDEX rimborsi_versamento_una_volta ON rimborsi(versamento_id) WHERE tipo = 'trasferimento' AND stato <> 'rifiutato';

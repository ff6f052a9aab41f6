-- The intranet portal's branch tools (Msg. 1099/2018 §3–§4): manual matching of F24 lines that
-- the flow could not credit, and changes of a CPO user's category with their path to DG.

-- Who attached an unmatched line by hand, when and why (state `abbinato_manuale`); cleared
-- again by DG's undo, which puts the line back among the unmatched ones.
ALTER TABLE versamenti ADD COLUMN abbinato_da BIGINT REFERENCES users(id);
ALTER TABLE versamenti ADD COLUMN abbinato_at TEXT;
ALTER TABLE versamenti ADD COLUMN nota TEXT;

-- Every category change: applied at once (no prestazione yet, or DG after its check), or
-- forwarded to DG by a branch and then applied or refused with a reason.
CREATE TABLE cambi_categoria (
    id BIGSERIAL PRIMARY KEY,
    utilizzatore_id BIGINT NOT NULL REFERENCES utilizzatori(id),
    categoria_da TEXT,
    categoria_a TEXT NOT NULL,
    stato TEXT NOT NULL,
    motivo TEXT NOT NULL,
    richiesto_da BIGINT NOT NULL REFERENCES users(id),
    richiesto_at TEXT NOT NULL,
    deciso_da BIGINT REFERENCES users(id),
    deciso_at TEXT,
    nota_decisione TEXT,
    -- The checks DG ran on the existing prestazioni (JSON list), kept with the decision.
    verifica_json TEXT
);
CREATE INDEX cambi_categoria_utilizzatore ON cambi_categoria(utilizzatore_id, id);
CREATE INDEX cambi_categoria_stato ON cambi_categoria(stato, id);

-- The reference of the signed delega document the delegato keeps (validity + 5 years), shown
-- when the portal checks a delega (Msg. 1099/2018 §6).
ALTER TABLE deleghe ADD COLUMN documento TEXT;

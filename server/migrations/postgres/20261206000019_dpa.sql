-- Dichiarazioni preventive di agevolazione (DPA, Msg. INPS 2648/2018): before a contribution
-- benefit is applied, the employer declares it for a matricola and months, so DURC On Line can
-- check its regularity for them (Smart-Task 17). Months are AAAA-MM, inclusive.
CREATE TABLE dpa (
    id BIGSERIAL PRIMARY KEY,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    agevolazione TEXT NOT NULL,
    mese_dal TEXT NOT NULL,
    mese_al TEXT NOT NULL,
    origine TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (mese_al >= mese_dal)
);
CREATE INDEX dpa_posizione ON dpa(posizione_id, agevolazione);

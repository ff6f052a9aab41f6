-- What the position-state Smart-Tasks (9 suspension, 10 reactivation, 11 provisional cessation)
-- read: the monthly workforce each matricola declared in UniEmens. One row per matricola and
-- month: full-time workers, part-time workers with their full-time equivalent in hundredths
-- (a 50 % part-time counts 50), apprentices (left out of the headcounts that exclude them).
CREATE TABLE uniemens_forza_lavoro (
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    periodo TEXT NOT NULL,
    tempo_pieno BIGINT NOT NULL,
    part_time BIGINT NOT NULL,
    part_time_centesimi BIGINT NOT NULL,
    apprendisti BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (posizione_id, periodo),
    CHECK (tempo_pieno >= 0 AND part_time >= 0 AND part_time_centesimi >= 0 AND apprendisti >= 0)
);
CREATE INDEX posizioni_stati_aperti ON posizioni_stati(posizione_id, al);
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.RIATTIVAZIONE.MAX_MESI_SOSPENSIONE', '1970-01-01', '18', 'Msg. INPS 3462/2020: una posizione sospesa da oltre 18 mesi non si riattiva, va cessata');

-- Authorisation codes (codici di autorizzazione, CA) on a matricola, with their validity: what
-- Smart-Task 15 (1R, Fondo di Tesoreria) and 16 (9R, replacement of a worker on maternity
-- leave) assign. `origine` says who assigned it (the request's protocol, or the sede).
CREATE TABLE posizioni_codici (
    id BIGSERIAL PRIMARY KEY,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    codice TEXT NOT NULL,
    dal TEXT NOT NULL,
    al TEXT,
    origine TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (al IS NULL OR al >= dal)
);
CREATE INDEX posizioni_codici_codice ON posizioni_codici(posizione_id, codice);
-- The average headcount (part-time pro rata, apprentices excluded: d.lgs. 81/2015 artt. 9 e 47)
-- from which an employer pays its staff's TFR to the Fondo di Tesoreria, dated: a request is
-- examined with the threshold in force on the day the obligation arose.
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.TESORERIA.SOGLIA_DIPENDENTI', '2007-01-01', '50', 'L. 296/2006, art. 1, c. 755: datori con almeno 50 dipendenti');
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.TESORERIA.SOGLIA_DIPENDENTI', '2026-01-01', '60', 'Legge di bilancio 2026: soglia di 60 dipendenti per il 2026 e il 2027 (domain.md §4.3)');
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.TESORERIA.SOGLIA_DIPENDENTI', '2028-01-01', '50', 'Legge di bilancio 2026: soglia di 50 dipendenti dal 2028 al 2031 (domain.md §4.3)');
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.TESORERIA.SOGLIA_DIPENDENTI', '2032-01-01', '40', 'Legge di bilancio 2026: soglia di 40 dipendenti dal 2032 (domain.md §4.3)');

-- Maternity and paternity leave of employees, as INPS knows it from the benefit claims: what
-- Smart-Task 16 (9R, replacement of a worker on leave) offers as targets, so the employer only
-- says whom it hired and how. `data_evento` is the child's birth or arrival in the family.
CREATE TABLE congedi (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    codice_fiscale_lavoratore TEXT NOT NULL,
    nominativo TEXT NOT NULL,
    tipo TEXT NOT NULL CHECK (tipo IN ('maternita', 'paternita')),
    dal TEXT NOT NULL,
    al TEXT NOT NULL,
    data_evento TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (al >= dal)
);
CREATE INDEX congedi_posizione ON congedi(posizione_id);
INSERT INTO parametri (nome, valido_dal, valore, fonte) VALUES ('ST.SOSTITUZIONE_MATERNITA.SOGLIA_DIPENDENTI', '2001-04-27', '20', 'D.lgs. 151/2001, art. 4, c. 3: aziende con meno di 20 dipendenti');

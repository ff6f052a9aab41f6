-- How many requests each subject has (see the SQLite migration of the same name): the Lista
-- Richieste's total without counting the company's requests again for each page.
CREATE TABLE richieste_per_soggetto (
    colonna TEXT NOT NULL CHECK (colonna IN ('contribuente_id', 'persona_id')),
    soggetto_id BIGINT NOT NULL,
    totale BIGINT NOT NULL,
    PRIMARY KEY (colonna, soggetto_id)
);
INSERT INTO richieste_per_soggetto (colonna, soggetto_id, totale)
    SELECT 'contribuente_id', contribuente_id, COUNT(*) FROM richieste WHERE contribuente_id IS NOT NULL GROUP BY contribuente_id;
INSERT INTO richieste_per_soggetto (colonna, soggetto_id, totale)
    SELECT 'persona_id', persona_id, COUNT(*) FROM richieste WHERE persona_id IS NOT NULL GROUP BY persona_id;

CREATE FUNCTION richieste_per_soggetto_conta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE richieste_per_soggetto SET totale = totale - 1
            WHERE (colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
               OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.contribuente_id IS NOT NULL THEN
            INSERT INTO richieste_per_soggetto (colonna, soggetto_id, totale) VALUES ('contribuente_id', NEW.contribuente_id, 1)
                ON CONFLICT (colonna, soggetto_id) DO UPDATE SET totale = richieste_per_soggetto.totale + 1;
        END IF;
        IF NEW.persona_id IS NOT NULL THEN
            INSERT INTO richieste_per_soggetto (colonna, soggetto_id, totale) VALUES ('persona_id', NEW.persona_id, 1)
                ON CONFLICT (colonna, soggetto_id) DO UPDATE SET totale = richieste_per_soggetto.totale + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER richieste_per_soggetto_conta AFTER INSERT OR DELETE OR UPDATE OF contribuente_id, persona_id ON richieste
    FOR EACH ROW EXECUTE FUNCTION richieste_per_soggetto_conta();

-- The unread count as two kept numbers (see the SQLite migration of the same name): how many
-- notifications a subject has, and how many of them each user has read; unread = totale - lette.
CREATE TABLE notifiche_per_soggetto (
    colonna TEXT NOT NULL CHECK (colonna IN ('contribuente_id', 'persona_id')),
    soggetto_id BIGINT NOT NULL,
    totale BIGINT NOT NULL,
    PRIMARY KEY (colonna, soggetto_id)
);
CREATE TABLE notifiche_lette_per_soggetto (
    user_id BIGINT NOT NULL,
    colonna TEXT NOT NULL CHECK (colonna IN ('contribuente_id', 'persona_id')),
    soggetto_id BIGINT NOT NULL,
    lette BIGINT NOT NULL,
    PRIMARY KEY (user_id, colonna, soggetto_id)
);
INSERT INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
    SELECT 'contribuente_id', contribuente_id, COUNT(*) FROM notifiche WHERE contribuente_id IS NOT NULL GROUP BY contribuente_id;
INSERT INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
    SELECT 'persona_id', persona_id, COUNT(*) FROM notifiche WHERE persona_id IS NOT NULL GROUP BY persona_id;
INSERT INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
    SELECT l.user_id, 'contribuente_id', n.contribuente_id, COUNT(*) FROM notifiche_lette l JOIN notifiche n ON n.id = l.notifica_id
    WHERE n.contribuente_id IS NOT NULL GROUP BY l.user_id, n.contribuente_id;
INSERT INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
    SELECT l.user_id, 'persona_id', n.persona_id, COUNT(*) FROM notifiche_lette l JOIN notifiche n ON n.id = l.notifica_id
    WHERE n.persona_id IS NOT NULL GROUP BY l.user_id, n.persona_id;

-- A notification names exactly one subject (`notifiche_un_soggetto`). One given to another
-- subject takes its readers' marks with it.
CREATE FUNCTION notifiche_per_soggetto_conta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE notifiche_per_soggetto SET totale = totale - 1
            WHERE (colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
               OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        UPDATE notifiche_lette_per_soggetto SET lette = lette - 1
            WHERE user_id IN (SELECT user_id FROM notifiche_lette WHERE notifica_id = OLD.id)
              AND ((colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
                OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id));
        INSERT INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
            SELECT user_id, CASE WHEN NEW.contribuente_id IS NOT NULL THEN 'contribuente_id' ELSE 'persona_id' END,
                   COALESCE(NEW.contribuente_id, NEW.persona_id), 1
            FROM notifiche_lette WHERE notifica_id = NEW.id
            ON CONFLICT (user_id, colonna, soggetto_id) DO UPDATE SET lette = notifiche_lette_per_soggetto.lette + 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
            VALUES (CASE WHEN NEW.contribuente_id IS NOT NULL THEN 'contribuente_id' ELSE 'persona_id' END,
                    COALESCE(NEW.contribuente_id, NEW.persona_id), 1)
            ON CONFLICT (colonna, soggetto_id) DO UPDATE SET totale = notifiche_per_soggetto.totale + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER notifiche_per_soggetto_conta AFTER INSERT OR DELETE OR UPDATE OF contribuente_id, persona_id ON notifiche
    FOR EACH ROW EXECUTE FUNCTION notifiche_per_soggetto_conta();

CREATE FUNCTION notifiche_lette_per_soggetto_conta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE notifiche_lette_per_soggetto c SET lette = c.lette - 1
            FROM notifiche n
            WHERE n.id = OLD.notifica_id AND c.user_id = OLD.user_id
              AND ((c.colonna = 'contribuente_id' AND c.soggetto_id = n.contribuente_id)
                OR (c.colonna = 'persona_id' AND c.soggetto_id = n.persona_id));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
            SELECT NEW.user_id, CASE WHEN n.contribuente_id IS NOT NULL THEN 'contribuente_id' ELSE 'persona_id' END,
                   COALESCE(n.contribuente_id, n.persona_id), 1
            FROM notifiche n WHERE n.id = NEW.notifica_id
            ON CONFLICT (user_id, colonna, soggetto_id) DO UPDATE SET lette = notifiche_lette_per_soggetto.lette + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER notifiche_lette_per_soggetto_conta AFTER INSERT OR DELETE OR UPDATE OF notifica_id, user_id ON notifiche_lette
    FOR EACH ROW EXECUTE FUNCTION notifiche_lette_per_soggetto_conta();

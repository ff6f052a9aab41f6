-- The unread count (page header, notifications page) as two kept numbers: how many notifications
-- a subject has, and how many of them each user has read. Counted from the rows, it read one
-- index entry per notification a user had already read: a company with 50,000 notifications, all
-- read, made every page of its intermediary cost 25 ms more, and the notifications page counted
-- every unread one on each visit. Kept by triggers, so that every way a notification is stored,
-- read, moved or deleted keeps them; unread = totale - lette. `colonna` names the subject's column.
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

CREATE TRIGGER notifiche_per_soggetto_inserita AFTER INSERT ON notifiche
BEGIN
    INSERT OR IGNORE INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
        SELECT 'contribuente_id', NEW.contribuente_id, 0 WHERE NEW.contribuente_id IS NOT NULL;
    INSERT OR IGNORE INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
        SELECT 'persona_id', NEW.persona_id, 0 WHERE NEW.persona_id IS NOT NULL;
    UPDATE notifiche_per_soggetto SET totale = totale + 1
        WHERE (colonna = 'contribuente_id' AND soggetto_id = NEW.contribuente_id)
           OR (colonna = 'persona_id' AND soggetto_id = NEW.persona_id);
END;

CREATE TRIGGER notifiche_per_soggetto_cancellata AFTER DELETE ON notifiche
BEGIN
    UPDATE notifiche_per_soggetto SET totale = totale - 1
        WHERE (colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
           OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id);
END;

-- A notification given to another subject takes its readers' marks with it.
CREATE TRIGGER notifiche_per_soggetto_spostata AFTER UPDATE OF contribuente_id, persona_id ON notifiche
BEGIN
    UPDATE notifiche_per_soggetto SET totale = totale - 1
        WHERE (colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
           OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id);
    UPDATE notifiche_lette_per_soggetto SET lette = lette - 1
        WHERE user_id IN (SELECT user_id FROM notifiche_lette WHERE notifica_id = OLD.id)
          AND ((colonna = 'contribuente_id' AND soggetto_id = OLD.contribuente_id)
            OR (colonna = 'persona_id' AND soggetto_id = OLD.persona_id));
    INSERT OR IGNORE INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
        SELECT 'contribuente_id', NEW.contribuente_id, 0 WHERE NEW.contribuente_id IS NOT NULL;
    INSERT OR IGNORE INTO notifiche_per_soggetto (colonna, soggetto_id, totale)
        SELECT 'persona_id', NEW.persona_id, 0 WHERE NEW.persona_id IS NOT NULL;
    UPDATE notifiche_per_soggetto SET totale = totale + 1
        WHERE (colonna = 'contribuente_id' AND soggetto_id = NEW.contribuente_id)
           OR (colonna = 'persona_id' AND soggetto_id = NEW.persona_id);
    INSERT OR IGNORE INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
        SELECT user_id, 'contribuente_id', NEW.contribuente_id, 0 FROM notifiche_lette
        WHERE notifica_id = NEW.id AND NEW.contribuente_id IS NOT NULL;
    INSERT OR IGNORE INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
        SELECT user_id, 'persona_id', NEW.persona_id, 0 FROM notifiche_lette
        WHERE notifica_id = NEW.id AND NEW.persona_id IS NOT NULL;
    UPDATE notifiche_lette_per_soggetto SET lette = lette + 1
        WHERE user_id IN (SELECT user_id FROM notifiche_lette WHERE notifica_id = NEW.id)
          AND ((colonna = 'contribuente_id' AND soggetto_id = NEW.contribuente_id)
            OR (colonna = 'persona_id' AND soggetto_id = NEW.persona_id));
END;

CREATE TRIGGER notifiche_lette_per_soggetto_inserita AFTER INSERT ON notifiche_lette
BEGIN
    INSERT OR IGNORE INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
        SELECT NEW.user_id, CASE WHEN n.contribuente_id IS NOT NULL THEN 'contribuente_id' ELSE 'persona_id' END,
               COALESCE(n.contribuente_id, n.persona_id), 0
        FROM notifiche n WHERE n.id = NEW.notifica_id;
    UPDATE notifiche_lette_per_soggetto SET lette = lette + 1
        WHERE user_id = NEW.user_id AND EXISTS (SELECT 1 FROM notifiche n WHERE n.id = NEW.notifica_id
            AND ((colonna = 'contribuente_id' AND soggetto_id = n.contribuente_id)
              OR (colonna = 'persona_id' AND soggetto_id = n.persona_id)));
END;

CREATE TRIGGER notifiche_lette_per_soggetto_cancellata AFTER DELETE ON notifiche_lette
BEGIN
    UPDATE notifiche_lette_per_soggetto SET lette = lette - 1
        WHERE user_id = OLD.user_id AND EXISTS (SELECT 1 FROM notifiche n WHERE n.id = OLD.notifica_id
            AND ((colonna = 'contribuente_id' AND soggetto_id = n.contribuente_id)
              OR (colonna = 'persona_id' AND soggetto_id = n.persona_id)));
END;

CREATE TRIGGER notifiche_lette_per_soggetto_cambiata AFTER UPDATE OF notifica_id, user_id ON notifiche_lette
BEGIN
    UPDATE notifiche_lette_per_soggetto SET lette = lette - 1
        WHERE user_id = OLD.user_id AND EXISTS (SELECT 1 FROM notifiche n WHERE n.id = OLD.notifica_id
            AND ((colonna = 'contribuente_id' AND soggetto_id = n.contribuente_id)
              OR (colonna = 'persona_id' AND soggetto_id = n.persona_id)));
    INSERT OR IGNORE INTO notifiche_lette_per_soggetto (user_id, colonna, soggetto_id, lette)
        SELECT NEW.user_id, CASE WHEN n.contribuente_id IS NOT NULL THEN 'contribuente_id' ELSE 'persona_id' END,
               COALESCE(n.contribuente_id, n.persona_id), 0
        FROM notifiche n WHERE n.id = NEW.notifica_id;
    UPDATE notifiche_lette_per_soggetto SET lette = lette + 1
        WHERE user_id = NEW.user_id AND EXISTS (SELECT 1 FROM notifiche n WHERE n.id = NEW.notifica_id
            AND ((colonna = 'contribuente_id' AND soggetto_id = n.contribuente_id)
              OR (colonna = 'persona_id' AND soggetto_id = n.persona_id)));
END;

-- Support requests of prestazioni occasionali users (Msg. 1099/2018: the portal exists so that the
-- sede can help its users): a Libretto Famiglia user or a prestatore is a person, not a company,
-- so a request, and its notifications, belong either to a contribuente or to a person. A person's
-- request is addressed to the sede of its registration, recorded when it is sent.

ALTER TABLE richieste ALTER COLUMN contribuente_id DROP NOT NULL;
ALTER TABLE richieste ADD COLUMN persona_id BIGINT REFERENCES persone(id);
ALTER TABLE richieste ADD COLUMN sede_id BIGINT REFERENCES sedi(id);
ALTER TABLE richieste ADD CONSTRAINT richieste_un_soggetto
    CHECK ((contribuente_id IS NULL) <> (persona_id IS NULL) AND (persona_id IS NULL) = (sede_id IS NULL));
CREATE INDEX richieste_persona ON richieste(persona_id, created_at);
CREATE INDEX richieste_sede_stato ON richieste(sede_id, stato);

ALTER TABLE notifiche ALTER COLUMN contribuente_id DROP NOT NULL;
ALTER TABLE notifiche ADD COLUMN persona_id BIGINT REFERENCES persone(id);
ALTER TABLE notifiche ADD CONSTRAINT notifiche_un_soggetto CHECK ((contribuente_id IS NULL) <> (persona_id IS NULL));
CREATE INDEX notifiche_persona ON notifiche(persona_id, letta);

ALTER TABLE email_outbox ADD COLUMN persona_id BIGINT REFERENCES persone(id);
CREATE INDEX email_outbox_persona ON email_outbox(persona_id, id);

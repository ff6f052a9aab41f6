-- Branch work on requests: who took a request in charge, and the notes and replies written on it.

ALTER TABLE richieste ADD COLUMN operatore_id BIGINT REFERENCES users(id);
CREATE INDEX richieste_stato ON richieste(stato, contribuente_id);

-- interna = 1: seen only by operators; 0: a reply the contributor reads with the request.
CREATE TABLE richieste_note (
    id BIGSERIAL PRIMARY KEY,
    richiesta_id BIGINT NOT NULL REFERENCES richieste(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    testo TEXT NOT NULL,
    interna BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX richieste_note_richiesta ON richieste_note(richiesta_id);
CREATE INDEX audit_log_request ON audit_log(request_id);

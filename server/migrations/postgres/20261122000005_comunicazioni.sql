-- Attachments of two-way requests. The content is kept in the database (base64 text, the same
-- column type on both engines) so every replica serves it; its type was recognised from the
-- content's first bytes and is served only as one of the allowed types, always as a download.
CREATE TABLE allegati (
    id BIGSERIAL PRIMARY KEY,
    richiesta_id BIGINT NOT NULL REFERENCES richieste(id),
    nome TEXT NOT NULL,
    content_type TEXT NOT NULL,
    dimensione BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    contenuto_b64 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX allegati_richiesta ON allegati(richiesta_id);

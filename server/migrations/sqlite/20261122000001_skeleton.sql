-- Walking skeleton: registry, identity, sessions, deleghe, audit, jobs.
-- Kept in lockstep with ../postgres/: the only difference allowed is the identity column
-- (checked by server/src/db/mod.rs tests). Timestamps are UTC RFC 3339 text, dates ISO text,
-- money integer cents, flags 0/1 integers (the Any driver cannot read SQLite booleans).

CREATE TABLE sedi (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    codice TEXT NOT NULL UNIQUE,
    nome TEXT NOT NULL,
    regione TEXT NOT NULL
);

CREATE TABLE persone (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    codice_fiscale TEXT NOT NULL UNIQUE,
    nome TEXT NOT NULL,
    cognome TEXT NOT NULL,
    email TEXT,
    pec TEXT,
    telefono TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE contribuenti (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    codice_fiscale TEXT NOT NULL UNIQUE,
    partita_iva TEXT,
    ragione_sociale TEXT NOT NULL,
    natura_giuridica TEXT NOT NULL,
    pec TEXT,
    obbligo_pec_registro_imprese BIGINT NOT NULL DEFAULT 1,
    sede_id BIGINT NOT NULL REFERENCES sedi(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contribuenti_sede ON contribuenti(sede_id);
CREATE INDEX contribuenti_ragione ON contribuenti(ragione_sociale);

CREATE TABLE posizioni (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contribuente_id BIGINT NOT NULL REFERENCES contribuenti(id),
    matricola TEXT NOT NULL UNIQUE,
    stato BIGINT NOT NULL,
    stato_dal TEXT NOT NULL,
    sede_id BIGINT NOT NULL REFERENCES sedi(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX posizioni_contribuente ON posizioni(contribuente_id);

CREATE TABLE posizioni_stati (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    posizione_id BIGINT NOT NULL REFERENCES posizioni(id),
    stato BIGINT NOT NULL,
    dal TEXT NOT NULL,
    al TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX posizioni_stati_posizione ON posizioni_stati(posizione_id);

CREATE TABLE soggetti_collegati (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contribuente_id BIGINT NOT NULL REFERENCES contribuenti(id),
    persona_id BIGINT NOT NULL REFERENCES persone(id),
    ruolo TEXT NOT NULL,
    rappresentante_legale BIGINT NOT NULL DEFAULT 0,
    certificato BIGINT NOT NULL DEFAULT 0,
    dal TEXT NOT NULL,
    al TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX soggetti_collegati_persona ON soggetti_collegati(persona_id);
CREATE INDEX soggetti_collegati_contribuente ON soggetti_collegati(contribuente_id);

CREATE TABLE intermediari (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_id BIGINT NOT NULL UNIQUE REFERENCES persone(id),
    tipo TEXT NOT NULL,
    denominazione TEXT NOT NULL,
    email TEXT,
    pec TEXT,
    telefono TEXT,
    cellulare TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- A delega lets delegato act for delegante (a contribuente) in a role ('intermediario' or
-- 'dipendente'). Valid on day D iff data_inizio <= D, (data_fine IS NULL OR D <= data_fine)
-- and (revocata_dal IS NULL OR D < revocata_dal): revocation is never retroactive.
CREATE TABLE deleghe (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delegato_persona_id BIGINT NOT NULL REFERENCES persone(id),
    contribuente_id BIGINT NOT NULL REFERENCES contribuenti(id),
    ruolo TEXT NOT NULL,
    data_inizio TEXT NOT NULL,
    data_fine TEXT,
    revocata_dal TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (delegato_persona_id, contribuente_id, ruolo, data_inizio)
);
CREATE INDEX deleghe_delegato ON deleghe(delegato_persona_id, ruolo);
CREATE INDEX deleghe_contribuente ON deleghe(contribuente_id);

CREATE TABLE utilizzatori (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_id BIGINT REFERENCES persone(id),
    contribuente_id BIGINT REFERENCES contribuenti(id),
    strumento TEXT NOT NULL,
    categoria TEXT,
    sede_id BIGINT NOT NULL REFERENCES sedi(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE prestatori (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_id BIGINT NOT NULL UNIQUE REFERENCES persone(id),
    iban TEXT,
    sede_id BIGINT NOT NULL REFERENCES sedi(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    persona_id BIGINT REFERENCES persone(id),
    sede_id BIGINT REFERENCES sedi(id),
    regione TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_role ON users(role);

-- Only a SHA-256 of the session token is stored: a leaked table gives no usable cookie.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    acting_for_id BIGINT REFERENCES contribuenti(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_expires_at TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    success BIGINT NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

-- Hash-chained, append-only audit trail. audit_head serialises appends: the UPDATE of its
-- single row takes a row lock on PostgreSQL and the write lock on SQLite.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,
    acting_for_id BIGINT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    note TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 10,
    run_after TEXT NOT NULL,
    locked_until TEXT,
    locked_by TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs(queue, state, run_after);

CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

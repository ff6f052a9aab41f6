-- Issue 11: reliability and security.

-- One row per user name and per client address, updated by every login attempt before the
-- password is checked: the row lock makes parallel attempts count one after the other.
CREATE TABLE login_locks (
    chiave TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

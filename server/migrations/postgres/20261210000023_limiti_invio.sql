-- Each user's allowance of submissions (richieste/limiti.rs): one row a user and flow, the
-- "theoretical arrival time" of the generic cell rate algorithm in microseconds since the epoch,
-- advanced in the transaction that stores the request. It replaces counting the user's requests
-- in the window, which read every request of the window for each submission.
CREATE TABLE limiti_invio (
    user_id BIGINT NOT NULL REFERENCES users(id),
    flusso TEXT NOT NULL,
    prossimo_us BIGINT NOT NULL,
    PRIMARY KEY (user_id, flusso)
);

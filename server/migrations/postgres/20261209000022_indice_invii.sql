-- The limit on submissions a minute counts a user's requests in the window other than two-way
-- ones: with the type in the index the count reads the index alone. Without it, each submission
-- read every request row of the window (an intermediary's software sending thousands at once
-- made every further submission read thousands of rows).
DROP INDEX richieste_richiedente;
CREATE INDEX richieste_richiedente ON richieste(richiedente_user_id, created_at, tipo);

-- Kind 8 also asks whether the new address is an intermediary's PEC, for every decision: without
-- an index each question read every intermediary (8,000 in the bench's scale data) on a reader
-- that shares the cores with the writer; a backlog of 5,000 was decided at 1,830–2,520 a second
-- instead of 2,690–2,700 (A/B on the same data).
CREATE INDEX intermediari_pec ON intermediari(LOWER(pec));

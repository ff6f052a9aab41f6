-- Kind 8 asks whether an address is already another contributor's PEC, while deciding and again
-- inside the group commit before applying: without an index each question read every
-- contributor (200,000 in the bench's scale data), and the single writer waited for it.
CREATE INDEX contribuenti_pec ON contribuenti(LOWER(pec));

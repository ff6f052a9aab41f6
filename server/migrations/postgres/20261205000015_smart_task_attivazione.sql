-- Gradual activation of Smart-Task kinds (Msg. INPS 4583/2023: nine of the seventeen kinds were to
-- be switched on gradually). A kind is offered and accepted from `attivo_dal` (an Italian date,
-- possibly in the future: a scheduled activation); without one it is "in arrivo". Read at every
-- submission, so a change applies on every replica without a restart. A kind with no row is in
-- arrivo too: a new kind ships switched off until the head office schedules it.
CREATE TABLE smart_task_attivazioni (
    tipo TEXT PRIMARY KEY,
    attivo_dal TEXT,
    nota TEXT NOT NULL,
    aggiornato_da BIGINT REFERENCES users(id),
    aggiornato_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO smart_task_attivazioni (tipo, attivo_dal, nota, aggiornato_at)
SELECT tipo, '2023-12-31', 'Msg. INPS 4583/2023: disponibile a tutti i datori di lavoro e ai loro intermediari dal 31/12/2023', '2026-12-05T00:00:00.000000Z'
FROM (SELECT 'cancellazione_contatti_anomali_ndr' AS tipo
      UNION ALL SELECT 'ricalcolo_nota_rettifica'
      UNION ALL SELECT 'rettifica_periodo_pagamento'
      UNION ALL SELECT 'revoca_delega_intermediario'
      UNION ALL SELECT 'revoca_delega_dipendente'
      UNION ALL SELECT 'variazione_contatti_intermediario'
      UNION ALL SELECT 'variazione_contatti_dipendente'
      UNION ALL SELECT 'variazione_pec_aziendale') k;

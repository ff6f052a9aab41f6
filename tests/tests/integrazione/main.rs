//! One integration-test binary: each file below used to link the whole server on its own
//! (about 390 MB each with debug info, 4.7 GB in all: CI ran out of disk).

mod accesso_limiti;
mod acting_for;
mod admin_audit;
mod api_tokens;
mod auth;
mod autorizzazioni;
mod comunicazioni;
mod data_layer;
mod errori_api;
mod esame_non_riuscito;
mod fascicolo;
mod guasti_archivio;
mod identifiers;
mod mail;
mod moduli;
mod notifiche;
mod oggetti_altrui;
mod openapi;
mod presto;
mod presto_assistenza;
mod presto_liste;
mod presto_portale;
mod presto_rimborsi;
mod risposte_private;
mod scrittura_di_gruppo;
mod scrittura_parallela;
mod smart_task;
mod smart_task_attivazione;
mod smart_task_codici;
mod smart_task_collegati;
mod smart_task_contributi;
mod smart_task_posizione;
mod smart_task_simulazione;

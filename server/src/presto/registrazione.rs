//! Registration of a utilizzatore (Libretto Famiglia or CPO, with the CPO's category, sector and
//! employees) and of a prestatore (payment method, special categories with their validity).
//! Excluded sectors and a workforce over the category's cap are refused with the reason.

use super::fe;
use super::soggetti::Titolare;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use rust_decimal::Decimal;
use shared::presto::views::{PrestatoreView, RegistrazionePrestatore, RegistrazioneUtilizzatore, UtilizzatoreView};
use shared::presto::{Ateco, CategoriaCpo, CategoriaSpeciale, ModalitaPagamento, Strumento};
use shared::{Iban, Role};
use sqlx::Row;

/// `3`, `3,5`, `3.25` → hundredths (350); the real average, no rounding beyond the cent.
pub(crate) fn parse_dipendenti(s: &str) -> Result<i64, &'static str> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Err("Indicare il numero medio di dipendenti a tempo indeterminato (0 se nessuno).");
    }
    let d: Decimal = t.parse().map_err(|_| "Numero di dipendenti non valido: ad esempio 3 oppure 3,5.")?;
    if d.is_sign_negative() || d.scale() > 2 {
        return Err("Numero di dipendenti non valido: al massimo due decimali, non negativo.");
    }
    i64::try_from((d * Decimal::ONE_HUNDRED).trunc()).map_err(|_| "Numero di dipendenti troppo grande.")
}

impl Services {
    async fn sede_by_code(&self, code: &str) -> AppResult<Option<i64>> {
        Ok(sqlx::query("SELECT id FROM sedi WHERE codice = $1")
            .bind(code.trim())
            .fetch_optional(&self.db.read)
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?)
    }

    pub async fn registra_utilizzatore(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        req: RegistrazioneUtilizzatore,
    ) -> AppResult<UtilizzatoreView> {
        let (s, titolare) = self.titolare(caller, soggetto_id).await?;
        let mut errs = vec![];
        let strumento = Strumento::from_code(req.strumento.trim());
        match (strumento, titolare) {
            (None, _) => errs.push(fe(
                "strumento",
                "required",
                "Scegliere Libretto Famiglia o Contratto di Prestazione Occasionale.",
            )),
            (Some(Strumento::Lf), Titolare::Azienda(_)) => errs.push(fe(
                "strumento",
                "lf_solo_persone",
                "Il Libretto Famiglia è riservato alle persone fisiche fuori dall'attività d'impresa o professionale.",
            )),
            _ => {}
        }
        let today = self.clock.today();
        let mut conn = self.db.read.acquire().await?;
        let par = super::parametri(&mut conn, today).await?;
        drop(conn);
        let (mut categoria, mut ateco, mut dipendenti) = (None, None, None);
        if strumento == Some(Strumento::Cpo) {
            categoria = CategoriaCpo::from_code(req.categoria.trim());
            match categoria {
                None => errs.push(fe("categoria", "required", "Scegliere la categoria dell'utilizzatore.")),
                Some(CategoriaCpo::Agricoltura) if !par.agricoltura_ammessa => errs.push(fe(
                    "categoria",
                    "agricoltura_esclusa",
                    "Dal 1° gennaio 2023 le imprese agricole non possono usare il CPO (art. 1 c.343 L. 197/2022): si usa il lavoro occasionale in agricoltura (LOAgri).",
                )),
                _ => {}
            }
            match Ateco::parse(&req.ateco) {
                Err(m) => errs.push(fe("ateco", "format", m)),
                Ok(a) => match a.escluso_dal_cpo() {
                    Some(settore) => errs.push(fe(
                        "ateco",
                        "settore_escluso",
                        format!("Il CPO non è consentito alle imprese del settore {settore} (art. 54-bis c.14 lett. b D.L. 50/2017)."),
                    )),
                    None => ateco = Some(a),
                },
            }
            match parse_dipendenti(&req.dipendenti) {
                Err(m) => errs.push(fe("dipendenti", "format", m)),
                Ok(n) => {
                    if let Some(cap) = categoria.and_then(|c| par.cap_per(c))
                        && n > cap * 100
                    {
                        errs.push(fe(
                            "dipendenti",
                            "oltre_limite",
                            format!("Per la categoria scelta il CPO è consentito fino a {cap} dipendenti a tempo indeterminato (art. 54-bis c.14 lett. a D.L. 50/2017)."),
                        ));
                    }
                    dipendenti = Some(n);
                }
            }
        }
        let sede_id = match titolare {
            Titolare::Azienda(c) => Some(
                sqlx::query("SELECT sede_id FROM contribuenti WHERE id = $1")
                    .bind(c)
                    .fetch_one(&self.db.read)
                    .await?
                    .try_get::<i64, _>(0)?,
            ),
            Titolare::Persona(_) => {
                let id = self.sede_by_code(&req.sede_codice).await?;
                if id.is_none() {
                    errs.push(fe("sede_codice", "unknown", "Scegliere la sede INPS competente per la residenza."));
                }
                id
            }
        };
        let (Some(strumento), Some(sede_id), true) = (strumento, sede_id, errs.is_empty()) else {
            return Err(AppError::Validation(errs));
        };
        let (persona_id, contribuente_id) = match titolare {
            Titolare::Persona(p) => (Some(p), None),
            Titolare::Azienda(c) => (None, Some(c)),
        };
        let mut tx = self.db.write.begin().await?;
        let dup = sqlx::query(
            "SELECT id FROM utilizzatori WHERE (persona_id = $1 AND strumento = $2) OR contribuente_id = $3",
        )
        .bind(persona_id)
        .bind(strumento.code())
        .bind(contribuente_id)
        .fetch_optional(&mut *tx)
        .await?;
        if dup.is_some() {
            return Err(AppError::Conflict(format!("La registrazione per il {} esiste già.", strumento.label())));
        }
        let now = clock::now_ts();
        let id: i64 = sqlx::query(
            "INSERT INTO utilizzatori (persona_id, contribuente_id, strumento, categoria, ateco, dipendenti_centesimi, sede_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(persona_id)
        .bind(contribuente_id)
        .bind(strumento.code())
        .bind(categoria.map(|c| c.code()))
        .bind(ateco.as_ref().map(|a| a.digits().to_string()))
        .bind(dipendenti)
        .bind(sede_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "utilizzatore",
                entity_id: id.to_string(),
                action: "registrazione",
                before: None,
                after: Some(
                    serde_json::json!({"strumento": strumento.code(), "categoria": categoria.map(|c| c.code()),
                    "ateco": ateco.as_ref().map(|a| a.digits()), "dipendenti_centesimi": dipendenti}),
                ),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        let u = self
            .utilizzatore_by("u.id = $1", id)
            .await?
            .ok_or_else(|| AppError::Internal("registrazione persa".into()))?;
        Ok(u.view())
    }

    pub async fn registra_prestatore(
        &self,
        caller: &Caller,
        req: RegistrazionePrestatore,
    ) -> AppResult<PrestatoreView> {
        let s = caller.require()?;
        if s.user.role != Role::Prestatore {
            return Err(AppError::Forbidden(
                "La registrazione come prestatore è riservata ai lavoratori occasionali.".into(),
            ));
        }
        let persona_id =
            s.user.persona_id.ok_or_else(|| AppError::Forbidden("Il profilo non è collegato a una persona.".into()))?;
        let mut errs = vec![];
        let modalita = ModalitaPagamento::from_code(req.modalita_pagamento.trim());
        let mut iban = None;
        match modalita {
            None => errs.push(fe("modalita_pagamento", "required", "Scegliere come ricevere i pagamenti.")),
            Some(ModalitaPagamento::Iban) => match Iban::parse(&req.iban) {
                Ok(i) => iban = Some(i.as_str().to_string()),
                Err(e) => errs.push(fe("iban", e.code(), e.to_string())),
            },
            Some(ModalitaPagamento::BonificoDomiciliato) => {}
        }
        let mut categorie = vec![];
        for (i, c) in req.categorie.iter().enumerate() {
            let cat = CategoriaSpeciale::from_code(c.categoria.trim());
            let dal = shared::time::parse_date_it(&c.dal);
            let al =
                if c.al.trim().is_empty() { Ok(None) } else { shared::time::parse_date_it(&c.al).map(Some).ok_or(()) };
            if cat.is_none() {
                errs.push(fe(&format!("categorie[{i}].categoria"), "unknown", "Scegliere la categoria."));
            }
            if dal.is_none() {
                errs.push(fe(&format!("categorie[{i}].dal"), "format", "Data di inizio non valida (GG/MM/AAAA)."));
            }
            match al {
                Err(()) => {
                    errs.push(fe(&format!("categorie[{i}].al"), "format", "Data di fine non valida (GG/MM/AAAA)."))
                }
                Ok(Some(a)) if dal.is_some_and(|d| a < d) => {
                    errs.push(fe(&format!("categorie[{i}].al"), "order", "La data di fine precede quella di inizio."))
                }
                Ok(al) => {
                    if let (Some(cat), Some(dal)) = (cat, dal) {
                        categorie.push((cat, dal, al));
                    }
                }
            }
        }
        let sede_id = self.sede_by_code(&req.sede_codice).await?;
        if sede_id.is_none() {
            errs.push(fe("sede_codice", "unknown", "Scegliere la sede INPS competente per la residenza."));
        }
        let (Some(modalita), Some(sede_id), true) = (modalita, sede_id, errs.is_empty()) else {
            return Err(AppError::Validation(errs));
        };
        let mut tx = self.db.write.begin().await?;
        if sqlx::query("SELECT id FROM prestatori WHERE persona_id = $1")
            .bind(persona_id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict("La registrazione come prestatore esiste già.".into()));
        }
        let now = clock::now_ts();
        let id: i64 = sqlx::query(
            "INSERT INTO prestatori (persona_id, iban, modalita_pagamento, sede_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(persona_id)
        .bind(iban.clone())
        .bind(modalita.code())
        .bind(sede_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for (cat, dal, al) in &categorie {
            sqlx::query("INSERT INTO prestatori_categorie (prestatore_id, categoria, dal, al, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(cat.code())
                .bind(dal.to_string())
                .bind(al.map(|a| a.to_string()))
                .bind(&now)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "prestatore",
                entity_id: id.to_string(),
                action: "registrazione",
                before: None,
                after: Some(serde_json::json!({"modalita_pagamento": modalita.code(), "iban": iban,
                    "categorie": categorie.iter().map(|(c, d, a)| serde_json::json!({"categoria": c.code(), "dal": d, "al": a})).collect::<Vec<_>>()})),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        let p = self
            .prestatore_by("pr.id = $1", id)
            .await?
            .ok_or_else(|| AppError::Internal("registrazione persa".into()))?;
        Ok(p.view)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn employees_as_typed() {
        assert_eq!(super::parse_dipendenti("3,5"), Ok(350));
        assert_eq!(super::parse_dipendenti("10"), Ok(1000));
        assert_eq!(super::parse_dipendenti("0.25"), Ok(25));
        assert!(super::parse_dipendenti("-1").is_err());
        assert!(super::parse_dipendenti("1,234").is_err());
        assert!(super::parse_dipendenti("tre").is_err());
    }
}

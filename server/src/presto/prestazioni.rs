//! Entering a prestazione: parse what was typed, then, in one transaction that holds the
//! user's and the prestatore's rows locked (so two parallel entries can never pass a limit
//! together), read the year's counters and the parameters as of the day, run every check and
//! store the prestazione and its checks, or store nothing. Revocation within the window.

use super::esame::{Input, esamina, registra};
use super::fe;
use super::soggetti::Utilizzatore;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use chrono::{NaiveTime, Utc};
use shared::dto::FieldError;
use shared::presto::views::{NuovaPrestazione, PrestazioneView};
use shared::presto::{Costo, FinalitaPa, StatoPrestazione, Strumento, costo_cpo, costo_lf};
use shared::{CodiceFiscale, Euro};
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) const PRESTAZIONE_SQL: &str =
    "SELECT x.id, x.strumento, x.giorno, x.ora_inizio, x.ora_fine, x.minuti, x.titoli,
        x.compenso_cents, x.ivs_cents, x.inail_cents, x.oneri_cents, x.costo_cents, x.stato, x.revocabile_fino,
        x.luogo, x.oggetto, x.controlli_json,
        COALESCE(c.ragione_sociale, pu.cognome || ' ' || pu.nome) AS utilizzatore,
        pp.cognome || ' ' || pp.nome AS prestatore, pp.codice_fiscale AS prestatore_cf
     FROM prestazioni x
     JOIN utilizzatori u ON u.id = x.utilizzatore_id
     LEFT JOIN persone pu ON pu.id = u.persona_id LEFT JOIN contribuenti c ON c.id = u.contribuente_id
     JOIN prestatori pr ON pr.id = x.prestatore_id JOIN persone pp ON pp.id = pr.persona_id";

pub(crate) fn view_from_row(r: &AnyRow) -> AppResult<PrestazioneView> {
    let strumento: String = r.try_get("strumento")?;
    let stato: String = r.try_get("stato")?;
    let controlli: String = r.try_get("controlli_json")?;
    let fino: String = r.try_get("revocabile_fino")?;
    let stato = StatoPrestazione::from_code(&stato).ok_or_else(|| AppError::Internal(format!("stato {stato}")))?;
    let revocabile =
        stato == StatoPrestazione::Inserita && clock::parse_date(&fino).is_some_and(|f| clock::today() <= f);
    let e = |c: &str| -> AppResult<Euro> { Ok(Euro::from_cents(r.try_get(c)?)) };
    Ok(PrestazioneView {
        id: r.try_get("id")?,
        strumento: Strumento::from_code(&strumento)
            .ok_or_else(|| AppError::Internal(format!("strumento {strumento}")))?,
        utilizzatore: r.try_get("utilizzatore")?,
        prestatore: r.try_get("prestatore")?,
        prestatore_cf: r.try_get("prestatore_cf")?,
        giorno: r.try_get("giorno")?,
        ora_inizio: r.try_get("ora_inizio")?,
        ora_fine: r.try_get("ora_fine")?,
        minuti: r.try_get("minuti")?,
        titoli: r.try_get("titoli")?,
        costo: Costo {
            compenso: e("compenso_cents")?,
            ivs: e("ivs_cents")?,
            inail: e("inail_cents")?,
            oneri_gestione: e("oneri_cents")?,
            totale: e("costo_cents")?,
        },
        stato,
        revocabile_fino: fino,
        revocabile,
        luogo: r.try_get("luogo")?,
        oggetto: r.try_get("oggetto")?,
        controlli: serde_json::from_str(&controlli).unwrap_or_default(),
    })
}

/// `3`, `2:30` or `2,5` hours → minutes.
pub(crate) fn parse_ore(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some((h, m)) = s.split_once(':') {
        let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
        return ((0..=24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2).then_some(h * 60 + m);
    }
    let d: rust_decimal::Decimal = s.replace(',', ".").parse().ok()?;
    let m = d * rust_decimal::Decimal::from(60);
    (m.fract().is_zero() && m > rust_decimal::Decimal::ZERO && m <= rust_decimal::Decimal::from(24 * 60))
        .then(|| i64::try_from(m).ok())
        .flatten()
}

pub(crate) fn parse_input(u: &Utilizzatore, req: &NuovaPrestazione) -> Result<Input, Vec<FieldError>> {
    let mut errs = vec![];
    let cf =
        CodiceFiscale::parse(&req.prestatore).map_err(|e| errs.push(fe("prestatore", e.code(), e.to_string()))).ok();
    let giorno = shared::time::parse_date_it(&req.giorno);
    if giorno.is_none() {
        errs.push(fe("giorno", "format", "Indicare il giorno della prestazione (GG/MM/AAAA)."));
    }
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let (luogo, oggetto) = (text(&req.luogo), text(&req.oggetto));
    for (f, v) in [("luogo", &luogo), ("oggetto", &oggetto)] {
        if v.as_ref().is_some_and(|v| v.chars().count() > 200) {
            errs.push(fe(f, "too_long", "Al massimo 200 caratteri."));
        }
    }
    let mut out = (None, None, 0, None, None);
    match u.strumento {
        Strumento::Cpo => {
            let t = |s: &str, f: &str, errs: &mut Vec<FieldError>| {
                let r = NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
                if r.is_none() {
                    errs.push(fe(f, "format", "Indicare l'ora nel formato HH:MM, ad esempio 09:30."));
                }
                r
            };
            let (i, f) = (t(&req.ora_inizio, "ora_inizio", &mut errs), t(&req.ora_fine, "ora_fine", &mut errs));
            if let (Some(i), Some(f)) = (i, f) {
                if f <= i {
                    errs.push(fe("ora_fine", "order", "L'ora di fine deve seguire quella di inizio (stesso giorno)."));
                }
                out.2 = (f - i).num_minutes();
            }
            out.0 = i;
            out.1 = f;
            match Euro::parse_it(&req.compenso) {
                Ok(c) if c.cents() > 0 => {
                    out.4 = costo_cpo(c).map_err(|e| errs.push(fe("compenso", "overflow", e.to_string()))).ok()
                }
                Ok(_) => errs.push(fe("compenso", "zero", "Indicare il compenso concordato.")),
                Err(e) => errs.push(fe("compenso", "format", e.to_string())),
            }
            if luogo.is_none() {
                errs.push(fe("luogo", "required", "Indicare il luogo di svolgimento."));
            }
            if oggetto.is_none() {
                errs.push(fe("oggetto", "required", "Indicare l'oggetto della prestazione."));
            }
        }
        Strumento::Lf => {
            match req.titoli.trim().parse::<u32>() {
                Ok(n) if (1..=24).contains(&n) => {
                    out.3 = Some(n);
                    out.4 = costo_lf(n).ok();
                }
                _ => errs.push(fe("titoli", "format", "Indicare quanti titoli da 10 € (da 1 a 24).")),
            }
            match parse_ore(&req.ore) {
                Some(m) => out.2 = m,
                None => errs.push(fe("ore", "format", "Indicare le ore di lavoro, ad esempio 3 oppure 2:30.")),
            }
        }
    }
    let finalita_pa = if req.finalita_pa.trim().is_empty() {
        None
    } else {
        let f = FinalitaPa::from_code(req.finalita_pa.trim());
        if f.is_none() {
            errs.push(fe("finalita_pa", "unknown", "Scegliere una delle finalità consentite."));
        }
        f
    };
    match (cf, giorno, out.4, errs.is_empty()) {
        (Some(prestatore_cf), Some(giorno), Some(costo), true) => Ok(Input {
            prestatore_cf,
            giorno,
            inizio: out.0,
            fine: out.1,
            minuti: out.2,
            titoli: out.3,
            costo,
            luogo,
            oggetto,
            finalita_pa,
        }),
        _ => Err(errs),
    }
}

impl Services {
    pub async fn nuova_prestazione(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
        req: NuovaPrestazione,
    ) -> AppResult<PrestazioneView> {
        let (s, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        let input = parse_input(&u, &req).map_err(AppError::Validation)?;
        let pid: i64 = match sqlx::query(
            "SELECT pr.id FROM prestatori pr JOIN persone p ON p.id = pr.persona_id WHERE p.codice_fiscale = $1",
        )
        .bind(input.prestatore_cf.as_str())
        .fetch_optional(&self.db.read)
        .await?
        {
            Some(r) => r.try_get(0)?,
            None => {
                return Err(AppError::Validation(vec![fe(
                    "prestatore",
                    "non_registrato",
                    "Il codice fiscale non risulta registrato come prestatore: il lavoratore deve registrarsi prima.",
                )]));
            }
        };
        let adesso = shared::time::to_rome(Utc::now().naive_utc());
        let mut tx = self.db.write.begin().await?;
        let esame = esamina(&mut tx, &u, pid, &input, adesso).await?;
        let ko = esame.ko();
        if !ko.is_empty() {
            // Nothing is stored: the transaction is dropped (rolled back) with its locks.
            return Err(AppError::Refused(
                "La prestazione non è stata accettata e nulla è stato registrato: correggere quanto indicato e ripetere l'invio.".into(),
                ko.iter().map(|c| fe("controlli", &c.codice, format!("{}: {}", c.descrizione, c.motivo))).collect(),
            ));
        }
        let id = registra(&mut tx, &u, pid, &input, &esame, Some(s.user.id)).await?;
        audit::append(
            &mut tx,
            &caller.actor(&s),
            Entry {
                entity: "prestazione",
                entity_id: id.to_string(),
                action: "inserimento",
                before: None,
                after: Some(serde_json::json!({"utilizzatore_id": u.id, "prestatore_id": pid, "giorno": input.giorno,
                    "minuti": input.minuti, "compenso_cents": input.costo.compenso.cents(), "costo_cents": input.costo.totale.cents()})),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.prestazione(id).await
    }

    pub(crate) async fn prestazione(&self, id: i64) -> AppResult<PrestazioneView> {
        let r = sqlx::query(&format!("{PRESTAZIONE_SQL} WHERE x.id = $1"))
            .bind(id)
            .fetch_optional(&self.db.write)
            .await?
            .ok_or_else(|| AppError::NotFound("Prestazione non trovata.".into()))?;
        view_from_row(&r)
    }

    /// Revokes one of the caller's prestazioni within the window: the cost goes back to the
    /// wallet and the pay no longer counts toward the limits.
    pub async fn revoca_prestazione(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
        id: i64,
    ) -> AppResult<PrestazioneView> {
        let (s, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        let not_found = || AppError::NotFound("Prestazione non trovata tra quelle del suo portafoglio.".into());
        let mut tx = self.db.write.begin().await?;
        sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents WHERE id = $1")
            .bind(u.id)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query(
            "SELECT stato, revocabile_fino, costo_cents FROM prestazioni WHERE id = $1 AND utilizzatore_id = $2",
        )
        .bind(id)
        .bind(u.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
        let stato: String = r.try_get("stato")?;
        let fino: String = r.try_get("revocabile_fino")?;
        let costo: i64 = r.try_get("costo_cents")?;
        if stato != StatoPrestazione::Inserita.code() {
            return Err(AppError::Conflict(format!(
                "La prestazione è già {}: non può essere revocata.",
                StatoPrestazione::from_code(&stato).map(|s| s.label().to_lowercase()).unwrap_or(stato)
            )));
        }
        let today = self.clock.today();
        if clock::parse_date(&fino).is_none_or(|f| today > f) {
            return Err(AppError::Conflict(format!(
                "La revoca era possibile fino al {} (entro 3 giorni dalla data della prestazione).",
                shared::time::format_date_text_it(&fino)
            )));
        }
        sqlx::query("UPDATE prestazioni SET stato = 'revocata', revocata_at = $1, version = version + 1 WHERE id = $2 AND stato = 'inserita'")
            .bind(clock::now_ts())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let saldo =
            sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2 RETURNING saldo_cents")
                .bind(costo)
                .bind(u.id)
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>(0)?;
        audit::append(
            &mut tx,
            &caller.actor(&s),
            Entry {
                entity: "prestazione",
                entity_id: id.to_string(),
                action: "revoca",
                before: Some(serde_json::json!({"stato": "inserita"})),
                after: Some(serde_json::json!({"stato": "revocata", "saldo_cents": saldo})),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.prestazione(id).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_as_typed() {
        assert_eq!(super::parse_ore("3"), Some(180));
        assert_eq!(super::parse_ore("2:30"), Some(150));
        assert_eq!(super::parse_ore("2,5"), Some(150));
        assert_eq!(super::parse_ore("0"), None);
        assert_eq!(super::parse_ore("25"), None);
        assert_eq!(super::parse_ore("2:75"), None);
        assert_eq!(super::parse_ore("due"), None);
    }
}

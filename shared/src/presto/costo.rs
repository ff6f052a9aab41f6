//! What a prestazione costs the user (domain.md §1.3): the worker's pay, the Gestione Separata
//! contribution (IVS), INAIL and INPS's running costs, to the cent.

use crate::money::{Euro, MoneyError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Costo {
    /// Net pay to the prestatore: what the limits count.
    pub compenso: Euro,
    pub ivs: Euro,
    pub inail: Euro,
    pub oneri_gestione: Euro,
    /// Taken from the wallet: the sum of the four.
    pub totale: Euro,
}

/// One Libretto Famiglia voucher: 10 € = 8 net + 1,65 IVS + 0,25 INAIL + 0,10 running costs
/// (art. 54-bis c.8).
pub const TITOLO_LF: Costo = Costo {
    compenso: Euro::from_cents(800),
    ivs: Euro::from_cents(165),
    inail: Euro::from_cents(25),
    oneri_gestione: Euro::from_cents(10),
    totale: Euro::from_cents(1000),
};

/// `titoli` vouchers of the Libretto Famiglia.
pub fn costo_lf(titoli: u32) -> Result<Costo, MoneyError> {
    let n = i64::from(titoli);
    let times = |e: Euro| e.cents().checked_mul(n).map(Euro::from_cents).ok_or(MoneyError::Overflow);
    Ok(Costo {
        compenso: times(TITOLO_LF.compenso)?,
        ivs: times(TITOLO_LF.ivs)?,
        inail: times(TITOLO_LF.inail)?,
        oneri_gestione: times(TITOLO_LF.oneri_gestione)?,
        totale: times(TITOLO_LF.totale)?,
    })
}

/// A CPO: IVS 33 % and INAIL 3,5 % of the pay, and 1 % of what is paid in for running costs, so
/// the user pays `pay × 1,365 / 0,99` rounded to the cent (9 €/h → 12,41 €, as INPS states);
/// the running costs are what remains, so the four parts always add up to the total [D].
pub fn costo_cpo(compenso: Euro) -> Result<Costo, MoneyError> {
    if compenso.cents() < 0 {
        return Err(MoneyError::Negative);
    }
    let p = compenso.to_decimal();
    let totale = Euro::from_decimal(p * Decimal::new(1365, 3) / Decimal::new(99, 2))?;
    let ivs = Euro::from_decimal(p * Decimal::new(33, 2))?;
    let inail = Euro::from_decimal(p * Decimal::new(35, 3))?;
    let oneri = totale
        .checked_sub(compenso)
        .and_then(|r| r.checked_sub(ivs))
        .and_then(|r| r.checked_sub(inail))
        .ok_or(MoneyError::Overflow)?;
    Ok(Costo { compenso, ivs, inail, oneri_gestione: oneri, totale })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn inps_figures() {
        assert_eq!(costo_cpo(Euro::from_cents(900)).unwrap().totale, Euro::from_cents(1241));
        assert_eq!(costo_cpo(Euro::from_cents(3600)).unwrap().totale, Euro::from_cents(4964));
        let lf = costo_lf(3).unwrap();
        assert_eq!((lf.compenso.cents(), lf.totale.cents()), (2400, 3000));
        assert_eq!(lf.ivs.cents() + lf.inail.cents() + lf.oneri_gestione.cents() + lf.compenso.cents(), 3000);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        assert_eq!(costo_cpo(Euro::from_cents(i64::MAX)), Err(MoneyError::Overflow));
        assert!(costo_lf(u32::MAX).is_ok());
    }

    proptest! {
        #[test]
        fn parts_add_up(cents in 0i64..10_000_000) {
            let c = costo_cpo(Euro::from_cents(cents)).unwrap();
            prop_assert_eq!(c.compenso.cents() + c.ivs.cents() + c.inail.cents() + c.oneri_gestione.cents(), c.totale.cents());
            prop_assert!(c.oneri_gestione.cents() >= 0);
        }
    }
}

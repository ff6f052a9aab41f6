//! Who a user is in Sportello. One role per account; operators also have a sede or a region.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Employer: titolare or legal representative of one or more companies.
    Datore,
    /// Intermediary under L. 12/1979 (consulente del lavoro, CAF…), acting through deleghe.
    Intermediario,
    /// Company employee enabled through a delega a dipendente.
    DipendenteDelegato,
    /// Family or business using Libretto Famiglia / CPO.
    Utilizzatore,
    /// Occasional worker.
    Prestatore,
    /// Branch operator, bound to one sede.
    OperatoreSede,
    /// Regional directorate operator, bound to one region.
    OperatoreRegionale,
    /// Head office (Direzione Generale) operator, national scope.
    OperatoreDg,
    /// IDM profiling administrator: assigns operator roles and sedi.
    AmministratoreProfili,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Datore,
        Role::Intermediario,
        Role::DipendenteDelegato,
        Role::Utilizzatore,
        Role::Prestatore,
        Role::OperatoreSede,
        Role::OperatoreRegionale,
        Role::OperatoreDg,
        Role::AmministratoreProfili,
    ];
    /// Roles a profiling administrator may give.
    pub const OPERATOR_ROLES: [Role; 3] = [Role::OperatoreSede, Role::OperatoreRegionale, Role::OperatoreDg];

    pub fn code(self) -> &'static str {
        match self {
            Role::Datore => "datore",
            Role::Intermediario => "intermediario",
            Role::DipendenteDelegato => "dipendente_delegato",
            Role::Utilizzatore => "utilizzatore",
            Role::Prestatore => "prestatore",
            Role::OperatoreSede => "operatore_sede",
            Role::OperatoreRegionale => "operatore_regionale",
            Role::OperatoreDg => "operatore_dg",
            Role::AmministratoreProfili => "amministratore_profili",
        }
    }
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Datore => "Datore di lavoro",
            Role::Intermediario => "Intermediario",
            Role::DipendenteDelegato => "Dipendente delegato",
            Role::Utilizzatore => "Utilizzatore prestazioni occasionali",
            Role::Prestatore => "Prestatore",
            Role::OperatoreSede => "Operatore di sede",
            Role::OperatoreRegionale => "Operatore di direzione regionale",
            Role::OperatoreDg => "Operatore di Direzione Generale",
            Role::AmministratoreProfili => "Amministratore profilazione (IDM)",
        }
    }
    /// Roles that work on a company's Cassetto and must choose whom they act for.
    pub fn acts_for_company(self) -> bool {
        matches!(self, Role::Datore | Role::Intermediario | Role::DipendenteDelegato)
    }
    /// Prestazioni occasionali users without a company: their support requests and notifications
    /// are their own person's.
    pub fn writes_as_person(self) -> bool {
        matches!(self, Role::Utilizzatore | Role::Prestatore)
    }
    pub fn is_operator(self) -> bool {
        matches!(self, Role::OperatoreSede | Role::OperatoreRegionale | Role::OperatoreDg)
    }
    /// The delega role that grants a user of this role access to a company, if any.
    pub fn delega_role(self) -> Option<&'static str> {
        match self {
            Role::Intermediario => Some("intermediario"),
            Role::DipendenteDelegato => Some("dipendente"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn codes_roundtrip_and_are_unique() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        let mut codes: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Role::ALL.len());
        assert_eq!(Role::from_code("root"), None);
    }
}

//! The app's [`Backend`] trait implemented over the services: take the caller, call, map errors.

use crate::error::AppError;
use crate::services::{Caller, Services};
use app::backend::{Backend, LoggedIn};
use http::request::Parts;
use shared::dto::{AssignOperator, HomeData, OperatorView, Problem, SedeView, SessionView, SubjectSummary};

pub struct ServerBackend {
    pub services: Services,
}

fn caller(req: &Parts) -> Result<&Caller, Problem> {
    req.extensions.get::<Caller>().ok_or_else(|| AppError::Internal("caller middleware missing".into()).to_problem())
}

fn p(e: AppError) -> Problem {
    if e.status().is_server_error() {
        tracing::error!(error = %e, "server function failed");
    }
    e.to_problem()
}

#[async_trait::async_trait]
impl Backend for ServerBackend {
    async fn login(&self, req: &Parts, username: String, password: String) -> Result<LoggedIn, Problem> {
        let r = self.services.login(caller(req)?, &username, &password).await.map_err(p)?;
        Ok(LoggedIn { set_cookie: r.set_cookie, session: r.session })
    }
    async fn logout(&self, req: &Parts) -> Result<String, Problem> {
        self.services.logout(caller(req)?).await.map_err(p)
    }
    async fn session(&self, req: &Parts) -> Result<Option<SessionView>, Problem> {
        self.services.session_view(caller(req)?).await.map_err(p)
    }
    async fn home(&self, req: &Parts) -> Result<HomeData, Problem> {
        self.services.home(caller(req)?).await.map_err(p)
    }
    async fn subjects(&self, req: &Parts) -> Result<Vec<SubjectSummary>, Problem> {
        self.services.subjects(caller(req)?).await.map_err(p)
    }
    async fn act_for(&self, req: &Parts, subject_id: i64) -> Result<SubjectSummary, Problem> {
        self.services.act_for(caller(req)?, subject_id).await.map_err(p)
    }
    async fn operators(&self, req: &Parts) -> Result<Vec<OperatorView>, Problem> {
        self.services.operators(caller(req)?).await.map_err(p)
    }
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, Problem> {
        self.services.sedi(caller(req)?).await.map_err(p)
    }
    async fn assign_operator(
        &self,
        req: &Parts,
        user_id: i64,
        assign: AssignOperator,
    ) -> Result<OperatorView, Problem> {
        self.services.assign_operator(caller(req)?, user_id, assign).await.map_err(p)
    }
}

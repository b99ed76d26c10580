//! Password routes: which way each user's password goes to the target, and why.
//!
//! A user keeps their legacy hash, signs in through Kratos's password migration hook, or
//! arrives without a password. The route and its detail (the hash family, or the reason in
//! words) are recorded by intake with the user, so that a migration of millions can always
//! say how many users took each way and why, and an operator can find the users a hook
//! service must be ready for. The detail never holds the hash.

use std::fmt;

use sqlx::Row;

use crate::error::QueryContext;
use crate::{Ledger, LedgerError};

/// The way a user's password goes to the target. The same words appear in SQL and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordRoute {
    /// The legacy hash is imported as Kratos reads it.
    Hash,
    /// The identity is imported with the password migration hook enabled: Kratos checks the
    /// password against the legacy system at the next sign-in.
    Hook,
    /// The identity is imported without a password.
    None,
}

impl PasswordRoute {
    /// Every route, in the order reports list them.
    pub const ALL: [PasswordRoute; 3] = [
        PasswordRoute::Hash,
        PasswordRoute::Hook,
        PasswordRoute::None,
    ];

    /// The word stored in the ledger and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordRoute::Hash => "hash",
            PasswordRoute::Hook => "hook",
            PasswordRoute::None => "none",
        }
    }

    pub(crate) fn parse(value: &str) -> Result<PasswordRoute, LedgerError> {
        PasswordRoute::ALL
            .into_iter()
            .find(|route| route.as_str() == value)
            .ok_or_else(|| LedgerError::Corrupt {
                what: "password route",
                value: value.into(),
            })
    }
}

impl fmt::Display for PasswordRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One user's password route with its detail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UserPassword {
    /// The way the password goes.
    pub route: PasswordRoute,
    /// For `hash`, the hash family; for `hook` and `none`, why. Never the hash.
    pub detail: String,
}

impl UserPassword {
    /// A route with its detail.
    pub fn new(route: PasswordRoute, detail: impl Into<String>) -> Self {
        Self {
            route,
            detail: detail.into(),
        }
    }

    /// Reads the two columns of a user row; both are null when no route is recorded.
    pub(crate) fn from_columns(
        route: Option<String>,
        detail: Option<String>,
    ) -> Result<Option<UserPassword>, LedgerError> {
        let Some(route) = route else {
            return Ok(None);
        };
        Ok(Some(UserPassword {
            route: PasswordRoute::parse(&route)?,
            detail: detail.unwrap_or_default(),
        }))
    }
}

/// How many users of a run took one route for one detail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PasswordRouteCount {
    /// The route.
    pub route: PasswordRoute,
    /// The hash family or the reason.
    pub detail: String,
    /// Users with this route and detail, in any state.
    pub users: u64,
    /// Of those, the users imported.
    pub imported: u64,
}

impl Ledger {
    /// Users per password route and detail, routes in report order and the largest groups
    /// first within a route. Users without a recorded route are not counted.
    pub async fn password_routes(
        &self,
        run_id: &str,
    ) -> Result<Vec<PasswordRouteCount>, LedgerError> {
        let rows = sqlx::query(
            "select password_route, password_detail, count(*) as n,
                 sum(state = 'imported') as imported
             from users where run_id = ? and password_route is not null
             group by password_route, password_detail",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .during("count password routes")?;

        let mut counts = Vec::with_capacity(rows.len());
        for row in &rows {
            counts.push(PasswordRouteCount {
                route: PasswordRoute::parse(row.get("password_route"))?,
                detail: row
                    .get::<Option<String>, _>("password_detail")
                    .unwrap_or_default(),
                users: u64::try_from(row.get::<i64, _>("n")).unwrap_or(0),
                imported: u64::try_from(row.get::<i64, _>("imported")).unwrap_or(0),
            });
        }
        counts.sort_by(|a, b| {
            (a.route, std::cmp::Reverse(a.users), &a.detail).cmp(&(
                b.route,
                std::cmp::Reverse(b.users),
                &b.detail,
            ))
        });
        Ok(counts)
    }
}

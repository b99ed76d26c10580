//! Reading identities: the list with its filters and keyset pages, single identities, lookups by
//! external id, identity schemas and the health check.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{AppState, identity_id, included_credentials};
use crate::errors::ApiError;
use crate::model::{self, IdentityRecord};
use crate::normalize;
use crate::query;
use crate::store;

/// The page size when the client names none.
const DEFAULT_PAGE_SIZE: u32 = 250;

/// The largest page; bigger requests are clamped to it, as Kratos does.
const MAX_PAGE_SIZE: u32 = 500;

/// The most ids the `ids` filter takes.
const MAX_IDS: usize = 500;

/// The list filters Kratos knows; one request may use one of them.
const FILTERS: &[&str] = &[
    "ids",
    "credentials_identifier",
    "preview_credentials_identifier_similar",
    "organization_id",
];

/// `GET /admin/identities`: one keyset page, or the identities one filter selects.
pub(crate) async fn list(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query::parse(raw.as_deref().unwrap_or(""));
    let include = included_credentials(&pairs)?;
    let shown = |records: Vec<IdentityRecord>| -> Vec<Value> {
        records
            .iter()
            .map(|record| model::render(record, &state.0.base_url, &include))
            .collect()
    };

    let used: Vec<&str> = FILTERS
        .iter()
        .copied()
        .filter(|name| query::first(&pairs, name).is_some())
        .collect();
    let pool = state.0.store.pool();
    match used.as_slice() {
        [] => {}
        ["ids"] => {
            let ids = parse_ids(&query::all(&pairs, "ids"))?;
            return Ok(Json(shown(store::list_ids(pool, &ids).await?)).into_response());
        }
        ["credentials_identifier"] => {
            let exact = query::first(&pairs, "credentials_identifier").unwrap_or_default();
            let folded = normalize::identifier(exact);
            let found = store::find_by_identifier(pool, &folded, exact).await?;
            return Ok(Json(shown(found)).into_response());
        }
        // TODO: the prefix search and the organization filter are not implemented yet.
        [other] => {
            return Err(ApiError::bad_request(format!(
                "the sandbox does not support the {other} filter yet"
            )));
        }
        _ => {
            return Err(ApiError::bad_request(format!(
                "use one filter per request, not {}",
                used.join(" and ")
            )));
        }
    }

    let (size, after) = page_parameters(&pairs)?;
    let page = store::list_page(pool, after, size).await?;
    let next = page
        .identities
        .last()
        .map(|last| last.id)
        .filter(|_| page.has_more);
    let link = link_header(uri.path(), &pairs, size, next);

    let mut response = Json(shown(page.identities)).into_response();
    if let Ok(link) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
}

fn parse_ids(raw: &[&str]) -> Result<Vec<Uuid>, ApiError> {
    if raw.len() > MAX_IDS {
        return Err(ApiError::bad_request(format!(
            "the ids filter takes at most {MAX_IDS} ids, not {}",
            raw.len()
        )));
    }
    raw.iter()
        .map(|id| {
            Uuid::parse_str(id).map_err(|_| {
                ApiError::bad_request(format!(
                    "ids value {id:?} is not a UUID; repeat the parameter for several ids"
                ))
            })
        })
        .collect()
}

/// The page size and the id the page starts after.
fn page_parameters(pairs: &[(String, String)]) -> Result<(u32, Option<Uuid>), ApiError> {
    if query::first(pairs, "page").is_some() {
        return Err(ApiError::bad_request(
            "the sandbox pages by page_token only; drop the legacy page parameter",
        ));
    }

    let size = match query::first(pairs, "page_size").or(query::first(pairs, "per_page")) {
        None | Some("") => DEFAULT_PAGE_SIZE,
        Some(raw) => match raw.parse::<u32>() {
            Ok(size) if size >= 1 => size.min(MAX_PAGE_SIZE),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "page_size {raw:?} is not a number from 1 to {MAX_PAGE_SIZE}"
                )));
            }
        },
    };

    let after = match query::first(pairs, "page_token") {
        None | Some("") => None,
        Some(token) => Some(Uuid::parse_str(token).map_err(|_| {
            ApiError::bad_request(
                "page_token is not one this server issued; start again without it",
            )
        })?),
    };
    Ok((size, after))
}

/// Kratos's `Link` header: always a `first` link, and a `next` link unless this is the last page.
fn link_header(path: &str, pairs: &[(String, String)], size: u32, next: Option<Uuid>) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(name, _)| name == "include_credential")
        .cloned()
        .collect();
    kept.insert(0, ("page_size".to_owned(), size.to_string()));

    let mut links = vec![format!("<{path}?{}>; rel=\"first\"", query::encode(&kept))];
    if let Some(next) = next {
        kept.push(("page_token".to_owned(), next.to_string()));
        links.push(format!("<{path}?{}>; rel=\"next\"", query::encode(&kept)));
    }
    links.join(",")
}

/// `GET /admin/identities/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let id = identity_id(&id)?;
    let include = included_credentials(&query::parse(raw.as_deref().unwrap_or("")))?;

    let record = store::get(state.0.store.pool(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(model::render(&record, &state.0.base_url, &include)))
}

/// `GET /admin/identities/by/external/{external_id}`.
pub(crate) async fn external(
    State(state): State<AppState>,
    Path(external_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    if external_id.is_empty() {
        return Err(ApiError::bad_request("the external id to look up is empty"));
    }
    let include = included_credentials(&query::parse(raw.as_deref().unwrap_or("")))?;

    let record = store::get_by_external_id(state.0.store.pool(), &external_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(model::render(&record, &state.0.base_url, &include)))
}

/// `GET /admin/schemas/{id}`: the schema a `schema_url` points at (the id in URL-safe base64).
pub(crate) async fn schema(
    State(state): State<AppState>,
    Path(segment): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = model::schema_id_from_segment(&segment).unwrap_or(segment);

    state
        .0
        .schemas
        .raw(&id)
        .cloned()
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

/// `GET /health/ready` and `/health/alive`: the sandbox answers once it serves at all.
pub(crate) async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_carries_the_last_id_and_the_included_credentials() {
        let pairs = query::parse("page_size=2&include_credential=password&page_token=x");
        let last = Uuid::nil();

        let link = link_header("/admin/identities", &pairs, 2, Some(last));

        assert_eq!(
            link,
            format!(
                "</admin/identities?page_size=2&include_credential=password>; rel=\"first\",\
                 </admin/identities?page_size=2&include_credential=password&page_token={last}>; \
                 rel=\"next\""
            )
        );
    }

    #[test]
    fn page_size_defaults_clamps_and_rejects_nonsense() {
        assert_eq!(page_parameters(&[]).unwrap(), (DEFAULT_PAGE_SIZE, None));
        let big = query::parse("page_size=5000");
        assert_eq!(page_parameters(&big).unwrap().0, MAX_PAGE_SIZE);
        assert!(page_parameters(&query::parse("page_size=0")).is_err());
        assert!(page_parameters(&query::parse("page_token=nope")).is_err());
    }
}

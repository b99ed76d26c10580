//! The batch create call (`PATCH /admin/identities`): its entries, limits and per-item results.
//!
//! Kratos answers a batch with one slot per entry, in request order: a created identity, a
//! per-item error (a 409 conflict, a schema failure), or `null` for an entry it skipped. This
//! module checks the limits before sending and matches the answer back to the entries, so the
//! caller gets one [`BatchItem`] per [`BatchEntry`] or an error saying why it could not.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::models::CreateIdentityBody;

/// The most entries Kratos accepts in one batch.
pub const BATCH_LIMIT: usize = 1000;

/// The most entries of a batch that may carry a plaintext password.
///
/// Kratos's docs read it as "a batch with any plaintext holds at most 200 entries", stricter
/// than its code; the client follows the docs.
pub const BATCH_PLAINTEXT_LIMIT: usize = 200;

/// One entry of a batch: a correlation id and the identity to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchEntry {
    /// A caller-chosen id echoed in the answer; a deterministic UUID per ledger row fits.
    pub patch_id: Uuid,
    /// The identity to create.
    pub create: CreateIdentityBody,
}

/// What Kratos did with each entry of a batch, in request order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchOutcome {
    /// One item per entry sent, at the entry's position.
    pub items: Vec<BatchItem>,
}

/// What Kratos did with one batch entry.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchItem {
    /// The identity was created.
    Created {
        /// The entry's patch id.
        patch_id: Uuid,
        /// The id Kratos gave the new identity.
        identity: Uuid,
    },
    /// The entry failed on its own (409 conflict, schema failure, ...); nothing of it was kept.
    Error {
        /// The entry's patch id.
        patch_id: Uuid,
        /// Kratos's error for the entry; branch on `error.code`, not on the text.
        error: ApiError,
    },
    /// Kratos answered `null` for the entry: it was not processed.
    Skipped,
}

impl BatchItem {
    /// The patch id of the entry, unless it was skipped.
    pub fn patch_id(&self) -> Option<Uuid> {
        match self {
            Self::Created { patch_id, .. } | Self::Error { patch_id, .. } => Some(*patch_id),
            Self::Skipped => None,
        }
    }
}

/// The request body: `{"identities": [...]}`.
#[derive(Serialize)]
pub(crate) struct BatchRequest<'a> {
    pub(crate) identities: &'a [BatchEntry],
}

/// The answer body: one slot per entry, `null` for skipped ones.
#[derive(Deserialize)]
pub(crate) struct BatchResponse {
    #[serde(default)]
    identities: Option<Vec<Option<PatchResult>>>,
}

#[derive(Deserialize)]
struct PatchResult {
    action: String,
    #[serde(default)]
    identity: Option<Uuid>,
    #[serde(default)]
    patch_id: Option<Uuid>,
    #[serde(default)]
    error: Option<ApiError>,
}

/// Why a batch may not be sent as it is, or `None` when Kratos's limits allow it.
pub(crate) fn limit_violation(entries: &[BatchEntry]) -> Option<String> {
    if entries.len() > BATCH_LIMIT {
        return Some(format!(
            "{} entries exceed kratos's limit of {BATCH_LIMIT} per batch",
            entries.len()
        ));
    }

    let has_plaintext = entries.iter().any(|entry| {
        let password = entry
            .create
            .credentials
            .as_ref()
            .and_then(|c| c.password.as_ref());
        password.is_some_and(|p| p.config.has_plaintext())
    });

    if has_plaintext && entries.len() > BATCH_PLAINTEXT_LIMIT {
        return Some(format!(
            "a batch with plaintext passwords holds at most {BATCH_PLAINTEXT_LIMIT} entries, \
             this one has {}",
            entries.len()
        ));
    }

    None
}

/// Matches Kratos's answer to the entries sent, or says why it does not fit them.
pub(crate) fn match_outcome(
    entries: &[BatchEntry],
    response: BatchResponse,
) -> Result<BatchOutcome, String> {
    let slots = response.identities.unwrap_or_default();

    if slots.len() != entries.len() {
        return Err(format!(
            "{} results for {} entries",
            slots.len(),
            entries.len()
        ));
    }

    let items = entries
        .iter()
        .zip(slots)
        .enumerate()
        .map(|(position, (entry, slot))| match slot {
            None => Ok(BatchItem::Skipped),
            Some(result) => match_item(position, entry.patch_id, result),
        })
        .collect::<Result<Vec<_>, _>>()?;

    Ok(BatchOutcome { items })
}

fn match_item(position: usize, patch_id: Uuid, result: PatchResult) -> Result<BatchItem, String> {
    if let Some(echoed) = result.patch_id
        && echoed != patch_id
    {
        return Err(format!(
            "result {position} has patch id {echoed}, the entry sent there has {patch_id}"
        ));
    }

    match (result.action.as_str(), result.identity, result.error) {
        ("create", Some(identity), _) => Ok(BatchItem::Created { patch_id, identity }),
        ("create", None, _) => Err(format!("result {position} is a create without identity id")),
        ("error", _, error) => Ok(BatchItem::Error {
            patch_id,
            error: error.unwrap_or_default(),
        }),
        (action, _, _) => Err(format!("result {position} has unknown action \"{action}\"")),
    }
}

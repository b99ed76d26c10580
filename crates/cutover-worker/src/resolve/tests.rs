use cutover_ledger::{BatchOutcome, ReasonCode};
use cutover_ory::{ApiError, BatchItem, Identity};
use serde_json::json;
use uuid::Uuid;

use super::*;

fn identity(plan: Option<&str>) -> Identity {
    let metadata = plan.map(|plan| json!({"cutover": {"plan": plan}}));
    serde_json::from_value(json!({
        "id": Uuid::from_u128(7),
        "schema_id": "preset://email",
        "traits": {},
        "metadata_admin": metadata,
    }))
    .expect("identity")
}

fn api_error(code: u16) -> ApiError {
    serde_json::from_value(json!({"code": code, "message": "m", "reason": "why"})).unwrap()
}

#[test]
fn a_created_entry_is_imported_with_a_rollback_marker() {
    let item = BatchItem::Created {
        patch_id: Uuid::nil(),
        identity: Uuid::from_u128(1),
    };
    let expected = BatchOutcome::Imported {
        identity_id: Uuid::from_u128(1).to_string(),
        created: true,
    };
    assert_eq!(decide_item(&item), ItemDecision::Record(expected));
}

#[test]
fn a_conflicting_entry_is_looked_up_and_another_error_is_recorded() {
    let conflict = BatchItem::Error {
        patch_id: Uuid::nil(),
        error: api_error(409),
    };
    assert_eq!(decide_item(&conflict), ItemDecision::LookUp);

    let invalid = BatchItem::Error {
        patch_id: Uuid::nil(),
        error: api_error(400),
    };
    match decide_item(&invalid) {
        ItemDecision::Record(BatchOutcome::Failed { code, reason }) => {
            assert_eq!(code, ReasonCode::Rejected);
            assert!(reason.contains("why"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(decide_item(&BatchItem::Skipped), ItemDecision::Resend);
}

#[test]
fn only_identities_naming_this_plan_are_ours() {
    assert_eq!(
        judge("p", Some(&identity(Some("p")))),
        Found::Ours(Uuid::from_u128(7).to_string())
    );
    assert!(matches!(
        judge("p", Some(&identity(Some("other")))),
        Found::Foreign(_)
    ));
    assert!(matches!(
        judge("p", Some(&identity(None))),
        Found::Foreign(_)
    ));
    assert_eq!(judge("p", None), Found::Absent);
}

#[test]
fn our_identity_gets_a_rollback_marker_only_if_this_ledger_sent_it() {
    let ours = || Found::Ours("id".into());
    assert!(matches!(
        after_lookup(ours(), true),
        Some(BatchOutcome::Imported { created: true, .. })
    ));
    assert!(matches!(
        after_lookup(ours(), false),
        Some(BatchOutcome::Imported { created: false, .. })
    ));
    assert!(matches!(
        after_lookup(Found::Foreign("x".into()), true),
        Some(BatchOutcome::Failed {
            code: ReasonCode::Conflict,
            ..
        })
    ));
    assert_eq!(after_lookup(Found::Absent, true), None);
}

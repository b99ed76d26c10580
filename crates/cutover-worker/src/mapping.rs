//! How one legacy user becomes one identity: traits from the plan's templates, the password
//! credential the policy decided (the hash, or the migration hook flag), social logins as OIDC
//! credentials, the verified address, and metadata naming the plan, phase and segment the
//! identity came from.
//!
//! Mapping never talks to the target. A user who cannot become a valid identity gets a
//! verdict with the reason instead of a body, so nothing that Kratos would refuse (and, for a
//! bad hash, refuse for a whole batch) ever leaves.

use cutover_ledger::{ReasonCode, UserState};
use cutover_ory::{
    AddressVia, CreateIdentityBody, IdentityCredentialsImport, IdentityState, OidcConfig,
    OidcImport, OidcProvider, UpdateIdentityBody, VerifiableAddressImport, VerificationStatus,
};
use cutover_plan::Plan;
use cutover_source::LegacyUser;
use serde_json::{Value, json};

use crate::password::PasswordDecision;

/// Identity schemas whose required traits cutover knows without asking the target.
const EMAIL_SCHEMAS: [&str; 2] = ["preset://email", "default"];

/// A verdict reached while mapping: the user's final state and why.
pub type Verdict = (UserState, ReasonCode, String);

/// The identity body for a user whose password goes the way `password` decided, or the
/// verdict that stops the user.
pub fn identity_body(
    plan: &Plan,
    user: &LegacyUser,
    context: &Value,
    phase: &str,
    segment: &str,
    password: &PasswordDecision,
) -> Result<CreateIdentityBody, Verdict> {
    let failed = |code, reason: String| (UserState::Failed, code, reason);

    let traits = plan
        .render_traits(context)
        .map_err(|err| failed(ReasonCode::Template, format!("identity traits: {err}")))?;
    let email = traits
        .get("email")
        .and_then(Value::as_str)
        .map(str::to_string);
    if EMAIL_SCHEMAS.contains(&plan.target.schema_id.as_str()) && email.is_none() {
        return Err(failed(
            ReasonCode::MissingTrait,
            format!(
                "no email address, which schema {} requires",
                plan.target.schema_id
            ),
        ));
    }
    let metadata_public = plan
        .render_metadata_public(context)
        .map_err(|err| failed(ReasonCode::Template, format!("metadata_public: {err}")))?;

    let password = password.credential()?;

    let mut providers = Vec::new();
    for social in &user.social {
        let Some(provider) = plan.social_provider(&social.connection) else {
            return Err(failed(
                ReasonCode::UnmappedSocial,
                format!(
                    "social connection {:?} has no provider in identity.social_providers",
                    social.connection
                ),
            ));
        };
        providers.push(OidcProvider {
            provider: provider.to_string(),
            subject: social.subject.clone(),
        });
    }

    let verifiable_addresses = match &email {
        Some(email) if user.email_verified && plan.identity.verified_email => {
            vec![VerifiableAddressImport {
                value: email.trim().to_lowercase(),
                verified: true,
                via: AddressVia::Email,
                status: VerificationStatus::Completed,
            }]
        }
        _ => Vec::new(),
    };
    let credentials =
        (password.is_some() || !providers.is_empty()).then(|| IdentityCredentialsImport {
            password,
            oidc: (!providers.is_empty()).then_some(OidcImport {
                config: OidcConfig { providers },
            }),
        });

    // The phase's activation decides the state; a user blocked in the legacy system stays
    // unable to log in after the move whatever it says.
    let created = plan
        .phase(phase)
        .map_or(plan.identity.state, |phase| phase.identity_state);
    let state = match created {
        _ if user.blocked => IdentityState::Inactive,
        cutover_plan::IdentityState::Active => IdentityState::Active,
        cutover_plan::IdentityState::Inactive => IdentityState::Inactive,
    };

    Ok(CreateIdentityBody {
        schema_id: plan.target.schema_id.clone(),
        traits,
        state: Some(state),
        metadata_public,
        metadata_admin: Some(metadata_admin(plan, user, phase, segment)),
        external_id: Some(crate::keys::external_id(&user.legacy_id)),
        verifiable_addresses,
        recovery_addresses: Vec::new(),
        credentials,
    })
}

/// The body of the update that brings an identity up to date with its user's record.
///
/// An update replaces traits, both metadata and the external id, so all of them are sent.
/// The state is left out, so the target keeps the one it has (a go-live may have changed
/// it). The password is sent only `with_password`: credentials given are merged into the
/// identity's, so leaving them out keeps the password, and sending one replaces it. The admin
/// metadata keeps naming the phase and segment the identity was created in, which the ledger
/// keeps even when a changed record now falls in another segment.
pub fn update_body(
    create: &CreateIdentityBody,
    phase: &str,
    segment: &str,
    with_password: bool,
) -> UpdateIdentityBody {
    let mut metadata_admin = create.metadata_admin.clone();
    let origin = metadata_admin
        .as_mut()
        .and_then(|meta| meta.pointer_mut("/cutover"));
    if let Some(Value::Object(origin)) = origin {
        origin.insert("phase".into(), phase.into());
        origin.insert("segment".into(), segment.into());
    }
    let password = create.credentials.as_ref().and_then(|c| c.password.clone());
    UpdateIdentityBody {
        schema_id: create.schema_id.clone(),
        traits: create.traits.clone(),
        state: None,
        metadata_public: create.metadata_public.clone(),
        metadata_admin,
        external_id: create.external_id.clone(),
        credentials: password
            .filter(|_| with_password)
            .map(|password| IdentityCredentialsImport {
                password: Some(password),
                oidc: None,
            }),
    }
}

/// The admin metadata that marks an identity as created by this plan.
fn metadata_admin(plan: &Plan, user: &LegacyUser, phase: &str, segment: &str) -> Value {
    json!({
        "cutover": {
            "plan": plan.name,
            "phase": phase,
            "segment": segment,
            "legacy_id": user.legacy_id,
        }
    })
}

/// Whether an identity found on the target was created by this plan.
pub fn created_by_plan(plan_name: &str, metadata_admin: Option<&Value>) -> bool {
    metadata_admin
        .and_then(|meta| meta.pointer("/cutover/plan"))
        .and_then(Value::as_str)
        .is_some_and(|name| name == plan_name)
}

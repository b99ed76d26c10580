//! The two files' records, field for field as Auth0 writes them.
//!
//! They are structs rather than `json!` values so that the key order, and with it every
//! byte of the sample, does not depend on which serde_json features the build enables.

use serde::Serialize;

/// One line of the bulk user export: a Management-API user object with every field.
#[derive(Serialize)]
pub struct UserRecord {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    pub username: Option<String>,
    pub phone_number: Option<String>,
    pub phone_verified: bool,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub nickname: String,
    pub picture: String,
    pub identities: Vec<Identity>,
    pub app_metadata: AppMetadata,
    pub user_metadata: UserMetadata,
    pub created_at: String,
    pub updated_at: String,
    pub last_login: Option<String>,
    pub last_ip: Option<String>,
    pub logins_count: u64,
    pub blocked: bool,
}

/// One entry of `identities[]`.
#[derive(Serialize)]
pub struct Identity {
    pub connection: &'static str,
    pub provider: &'static str,
    pub user_id: String,
    #[serde(rename = "isSocial")]
    pub is_social: bool,
}

/// What the application stores about a user (roles, customer organisation).
#[derive(Serialize)]
pub struct AppMetadata {
    pub roles: Vec<&'static str>,
    pub organisation: &'static str,
}

/// What the user chose.
#[derive(Serialize)]
pub struct UserMetadata {
    pub locale: &'static str,
    pub newsletter: bool,
}

/// One line of the password-hash export, with MongoDB extended-JSON ids and dates.
#[derive(Serialize)]
pub struct HashRecord {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub email_verified: bool,
    #[serde(rename = "passwordHash")]
    pub password_hash: String,
    pub password_set_date: MongoDate,
    pub tenant: &'static str,
    pub connection: &'static str,
    #[serde(rename = "_tmp_is_unique")]
    pub tmp_is_unique: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_id: Option<String>,
}

/// `{"$oid": "<24 hex>"}`.
#[derive(Serialize)]
pub struct ObjectId {
    #[serde(rename = "$oid")]
    pub oid: String,
}

/// `{"$date": "<ISO-8601>"}`.
#[derive(Serialize)]
pub struct MongoDate {
    #[serde(rename = "$date")]
    pub date: String,
}

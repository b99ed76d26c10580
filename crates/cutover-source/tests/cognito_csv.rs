//! Reading Cognito users from a CSV in the layout of the user-import template.

mod common;

use std::path::PathBuf;

use common::*;
use cutover_source::{SocialIdentity, SourceConfig, SourceItem, open};

/// The column list of AWS's sample import file.
const HEADER: &str = "cognito:username,name,given_name,family_name,middle_name,nickname,\
preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,\
locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled";

fn cognito(users: PathBuf) -> SourceConfig {
    SourceConfig {
        format: "cognito".into(),
        users,
        ..SourceConfig::default()
    }
}

fn read_csv(text: &str) -> Vec<SourceItem> {
    let export = Export::new();
    read_all(&cognito(export.text("users.csv", text)))
}

#[test]
fn the_template_layout_is_read_with_escaped_commas_and_upper_case_booleans() {
    let rows = "John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,\
                123 Any Street\\, Apt 4,1672531200,FALSE\n\
                Jane,Jane Roe,Jane,Roe,,,,,,,janeroe@example.com,false,,,,,,,,,FALSE\n";

    let items = read_csv(&format!("{HEADER}\n{rows}"));

    let john = user(&items, "John");
    assert_eq!(john.username.as_deref(), Some("John"));
    assert_eq!(john.email.as_deref(), Some("johndoe@example.com"));
    assert!(john.email_verified && john.phone_verified);
    assert_eq!(john.phone.as_deref(), Some("+12345550100"));
    assert_eq!(
        (john.given_name.as_deref(), john.family_name.as_deref()),
        (Some("John"), Some("Doe"))
    );
    assert_eq!(john.raw["attributes"]["address"], "123 Any Street, Apt 4");
    assert_eq!(john.raw["attributes"]["birthdate"], "02/01/1985");
    assert_eq!(
        john.updated_at.map(|at| at.timestamp()),
        Some(1_672_531_200)
    );
    assert!(john.password.is_none() && john.password_unavailable);
    assert!(
        john.raw["attributes"].get("middle_name").is_none(),
        "empty cells are no value"
    );

    let jane = user(&items, "Jane");
    assert_eq!(jane.name.as_deref(), Some("Jane Roe"));
    assert!(!jane.email_verified);
    assert!(unreadable(&items).is_empty() && warnings(&items).is_empty());
}

#[test]
fn columns_may_come_in_any_order_and_sub_is_the_legacy_id_when_present() {
    let text = "email,sub,cognito:username,custom:tier\nada@example.com,1f3a-9c,ada,pro\n";

    let items = read_csv(text);

    let ada = user(&items, "1f3a-9c");
    assert_eq!(ada.username.as_deref(), Some("ada"));
    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    assert_eq!(ada.raw["attributes"]["custom:tier"], "pro");
}

#[test]
fn quoted_values_semicolons_and_a_byte_order_mark_are_read() {
    let quoted = "\u{feff}cognito:username,family_name,address\n\
                  ada,\"O'Brien, Jr.\",\"line one\nline two\"\nbob,Smith,\n";
    let items = read_csv(quoted);
    let ada = user(&items, "ada");
    assert_eq!(ada.family_name.as_deref(), Some("O'Brien, Jr."));
    assert_eq!(ada.raw["attributes"]["address"], "line one\nline two");
    assert_eq!(unreadable(&items).len(), 0);
    assert_eq!(user(&items, "bob").family_name.as_deref(), Some("Smith"));

    let semicolons = read_csv("cognito:username;email;given_name\nada;ada@example.com;Ada\n");
    assert_eq!(user(&semicolons, "ada").given_name.as_deref(), Some("Ada"));
}

#[test]
fn a_row_with_the_wrong_number_of_values_is_reported_at_its_line() {
    let text = format!(
        "{HEADER}\n\
         ok1,,,,,,,,,,ok1@example.com,TRUE,,,,,,,,,FALSE\n\
         \n\
         bad,,,,,,,,,,bad@example.com,TRUE,,,,,,,12 Main Street, Springfield,,FALSE\n\
         ok2,,,,,,,,,,ok2@example.com,TRUE,,,,,,,,,FALSE\n"
    );

    let items = read_csv(&text);

    let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(ids, ["ok1", "ok2"]);
    let problems = unreadable(&items);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 4);
    assert!(
        problems[0]
            .reason
            .contains("22 values but the header has 21"),
        "{}",
        problems[0].reason
    );
    assert!(!problems[0].reason.contains("Springfield"));
}

#[test]
fn exporter_columns_for_status_and_dates_are_used_when_present() {
    let identities =
        r#""[{""userId"":""1181"",""providerName"":""Google"",""providerType"":""Google""}]""#;
    let text = format!(
        "cognito:username,email,UserStatus,Enabled,UserCreateDate,identities\n\
         Google_1181,g@example.com,EXTERNAL_PROVIDER,true,\
         2023-01-21 19:06:10.947000+00:00,{identities}\n\
         off,off@example.com,CONFIRMED,false,1548097570.947,\n"
    );

    let items = read_csv(&text);

    let google = user(&items, "Google_1181");
    assert!(!google.password_unavailable && !google.blocked);
    assert_eq!(
        google.social,
        vec![SocialIdentity {
            connection: "Google".into(),
            subject: "1181".into()
        }]
    );
    assert_eq!(
        google.created_at.map(|at| at.timestamp_millis()),
        Some(1_674_327_970_947)
    );
    let off = user(&items, "off");
    assert!(off.blocked && off.password_unavailable);
    assert_eq!(
        off.created_at.map(|at| at.timestamp_millis()),
        Some(1_548_097_570_947)
    );
}

#[test]
fn without_a_status_a_federated_username_tells_a_user_has_no_password() {
    let identities = r#""[{""userId"":""1181"",""providerName"":""Google""}]""#;
    let text = format!(
        "cognito:username,email,identities\n\
         Google_1181,g@example.com,{identities}\n\
         linked,l@example.com,{identities}\n"
    );

    let items = read_csv(&text);

    assert!(!user(&items, "Google_1181").password_unavailable);
    let linked = user(&items, "linked");
    assert!(
        linked.password_unavailable,
        "a native user who linked Google keeps a password"
    );
    assert_eq!(linked.social.len(), 1);
}

#[test]
fn a_file_that_is_no_cognito_csv_is_refused_with_its_reason() {
    let export = Export::new();
    let other = export.text("other.csv", "user_id,email\n1,a@example.com\n");
    let empty = export.text("empty.csv", "\n\n");

    let error = open(&cognito(other)).err().expect("refused");
    assert!(
        error.to_string().contains("no `cognito:username` column"),
        "{error}"
    );
    let error = open(&cognito(empty)).err().expect("refused");
    assert!(error.to_string().contains("is empty"), "{error}");
}

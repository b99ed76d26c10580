//! The plan's settings for the readers, translated into the source crate's terms.
//!
//! The plan crate and the source crate know nothing of each other, so each has its own types
//! for the Firebase hash parameters, the Keycloak realms, the field mapping, the password
//! scheme, the CSV dialect and the SQL query; this module is the one place that maps the
//! checked plan onto what the readers take.

use cutover_plan::{
    BinaryEncoding, ByteEncoding, CountSpec, CsvDialect, DigestAlgorithm, FieldMapping,
    PasswordChoice, PasswordScheme, PasswordSpec, SaltPosition, SaltSpec, SourceSpec, SqlSource,
    WhenEmpty,
};
use cutover_source::{
    BinaryText, CsvOptions, Encoding, FieldPaths, FirebaseOptions, FormatOptions, HashDigest,
    HashScheme, KeycloakOptions, Param, PasswordColumns, RecordMapping, SaltColumn, SaltPlacement,
    SchemeChoice, SqlOptions,
};

/// The format options of the plan's source (empty for the formats that take none).
pub(crate) fn format_options(source: &SourceSpec) -> FormatOptions {
    let mut options = FormatOptions::default();
    options.keycloak = source.keycloak.as_ref().map(|keycloak| KeycloakOptions {
        realms: keycloak.realms.clone(),
    });
    options.firebase = source.firebase.as_ref().map(|f| FirebaseOptions {
        signer_key_env: f.signer_key_env.clone(),
        salt_separator: f.salt_separator.clone(),
        rounds: f.rounds,
        mem_cost: f.mem_cost,
    });
    options.mapping = source.fields.as_ref().map(|fields| RecordMapping {
        fields: field_paths(fields),
        password: source.password.as_ref().map(password),
    });
    options.csv = source.csv.as_ref().map(csv);
    options.sql = source.sql.as_ref().map(sql);
    options
}

fn field_paths(fields: &FieldMapping) -> FieldPaths {
    FieldPaths {
        legacy_id: fields.legacy_id.clone(),
        email: fields.email.clone(),
        email_verified: fields.email_verified.clone(),
        phone: fields.phone.clone(),
        phone_verified: fields.phone_verified.clone(),
        username: fields.username.clone(),
        given_name: fields.given_name.clone(),
        family_name: fields.family_name.clone(),
        name: fields.name.clone(),
        created_at: fields.created_at.clone(),
        updated_at: fields.updated_at.clone(),
        last_login: fields.last_login.clone(),
        blocked: fields.blocked.clone(),
        application: fields.application.clone(),
        tenant: fields.tenant.clone(),
        social: fields.social.clone(),
    }
}

fn password(spec: &PasswordSpec) -> PasswordColumns {
    PasswordColumns {
        schemes: match &spec.choice {
            PasswordChoice::Fixed(scheme) => SchemeChoice::Fixed(hash_scheme(scheme)),
            PasswordChoice::PerRecord { column, schemes } => SchemeChoice::PerRecord {
                column: column.clone(),
                schemes: schemes
                    .iter()
                    .map(|(name, scheme)| (name.clone(), hash_scheme(scheme)))
                    .collect(),
            },
        },
        when_empty: match spec.when_empty {
            WhenEmpty::NoPassword => cutover_source::WhenEmpty::NoPassword,
            WhenEmpty::Unavailable => cutover_source::WhenEmpty::Unavailable,
        },
    }
}

fn hash_scheme(scheme: &PasswordScheme) -> HashScheme {
    match scheme {
        PasswordScheme::Encoded { hash } => HashScheme::Encoded { hash: hash.clone() },
        PasswordScheme::Digest {
            algorithm,
            hash,
            encoding: bytes,
            salt: salt_spec,
            salt_position,
        } => HashScheme::Digest {
            algorithm: digest(*algorithm),
            hash: hash.clone(),
            encoding: encoding(*bytes),
            salt: salt_spec.as_ref().map(salt),
            salt_position: match salt_position {
                SaltPosition::Prefix => SaltPlacement::Prefix,
                SaltPosition::Suffix => SaltPlacement::Suffix,
            },
        },
        PasswordScheme::Hmac {
            algorithm,
            hash,
            encoding: bytes,
            key_env,
            key_encoding,
        } => HashScheme::Hmac {
            algorithm: digest(*algorithm),
            hash: hash.clone(),
            encoding: encoding(*bytes),
            key_env: key_env.clone(),
            key_encoding: encoding(*key_encoding),
        },
        PasswordScheme::Pbkdf2 {
            algorithm,
            hash,
            encoding: bytes,
            salt: salt_spec,
            iterations,
        } => HashScheme::Pbkdf2 {
            algorithm: digest(*algorithm),
            hash: hash.clone(),
            encoding: encoding(*bytes),
            salt: salt(salt_spec),
            iterations: param(iterations),
        },
        PasswordScheme::Scrypt {
            hash,
            encoding: bytes,
            salt: salt_spec,
            n,
            r,
            p,
        } => HashScheme::Scrypt {
            hash: hash.clone(),
            encoding: encoding(*bytes),
            salt: salt(salt_spec),
            n: param(n),
            r: param(r),
            p: param(p),
        },
    }
}

fn salt(spec: &SaltSpec) -> SaltColumn {
    SaltColumn {
        path: spec.column.clone(),
        encoding: encoding(spec.encoding),
    }
}

fn param(count: &CountSpec) -> Param {
    match count {
        CountSpec::Fixed(value) => Param::Fixed(*value),
        CountSpec::Column(column) => Param::Column(column.clone()),
    }
}

fn encoding(encoding: ByteEncoding) -> Encoding {
    match encoding {
        ByteEncoding::Text => Encoding::Text,
        ByteEncoding::Hex => Encoding::Hex,
        ByteEncoding::Base64 => Encoding::Base64,
    }
}

fn digest(algorithm: DigestAlgorithm) -> HashDigest {
    match algorithm {
        DigestAlgorithm::Md4 => HashDigest::Md4,
        DigestAlgorithm::Md5 => HashDigest::Md5,
        DigestAlgorithm::Sha1 => HashDigest::Sha1,
        DigestAlgorithm::Sha224 => HashDigest::Sha224,
        DigestAlgorithm::Sha256 => HashDigest::Sha256,
        DigestAlgorithm::Sha384 => HashDigest::Sha384,
        DigestAlgorithm::Sha512 => HashDigest::Sha512,
    }
}

fn csv(dialect: &CsvDialect) -> CsvOptions {
    CsvOptions {
        delimiter: dialect.delimiter,
        quote: dialect.quote,
        escape: dialect.escape,
        null: dialect.null.clone(),
    }
}

fn sql(source: &SqlSource) -> SqlOptions {
    SqlOptions {
        url_env: source.url_env.clone(),
        query: source.query.clone(),
        binary: match source.binary {
            BinaryEncoding::Hex => BinaryText::Hex,
            BinaryEncoding::Base64 => BinaryText::Base64,
        },
    }
}

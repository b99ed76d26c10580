//! Errors of this crate: what is wrong with a plan file, and what went wrong rendering a user.
//!
//! A plan can have several problems at once; validation reports all of them as `Issue`s, each
//! naming the file, line, column and field path (`plans/acme.yaml:23:5: phases[1].after: ...`)
//! so the `Display` of an error is directly useful on a terminal. The CLI can also ask for
//! miette reports, which add a snippet of the file under each issue.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};
use serde_saphyr::Location;

/// One problem found in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The plan file, as it was given to `Plan::load` or `Plan::parse`.
    pub file: PathBuf,
    /// The 1-based line of the offending node, or 0 when the location is unknown.
    pub line: u64,
    /// The 1-based column of the offending node, or 0 when the location is unknown.
    pub column: u64,
    /// The dotted field path, such as `phases[1].after`; empty for the whole document.
    pub field: String,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// Byte offset and length of the node in the file, for snippets.
    span: Option<(usize, usize)>,
}

impl Issue {
    /// Builds an issue located at a node that serde-saphyr reported.
    pub(crate) fn at(file: &Path, location: &Location, field: &str, message: String) -> Self {
        let span = location.span();
        let span = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(offset, len)| {
                Some((usize::try_from(offset).ok()?, usize::try_from(len).ok()?))
            });

        Self {
            file: file.to_path_buf(),
            line: location.line(),
            column: location.column(),
            field: field.to_owned(),
            message,
            span,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a plan could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The plan file could not be read (missing, unreadable, not UTF-8).
    #[error("cannot read plan file {}", path.display())]
    Read {
        /// The plan file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The file is not YAML of the plan's shape (syntax, unknown field, wrong type).
    // The serde-saphyr error is kept for callers that want its structure but is deliberately
    // not the `#[source]`: its text repeats the issue, which would print twice in a cause
    // chain.
    #[error("{issue}")]
    Syntax {
        /// Where and what.
        issue: Box<Issue>,
        /// The parser's own error.
        yaml: Box<serde_saphyr::Error>,
        /// The plan text with secret values masked, for snippets.
        text: Arc<str>,
    },

    /// The file parsed but breaks the plan's rules; every problem found is listed.
    #[error("{}", IssueList(issues))]
    Invalid {
        /// Every problem, in file order.
        issues: Vec<Issue>,
        /// The plan text with secret values masked, for snippets.
        text: Arc<str>,
    },
}

impl PlanError {
    /// Lists the located problems (none for a read error).
    pub fn issues(&self) -> &[Issue] {
        match self {
            PlanError::Read { .. } => &[],
            PlanError::Syntax { issue, .. } => std::slice::from_ref(&**issue),
            PlanError::Invalid { issues, .. } => issues,
        }
    }

    /// Renders one miette report per problem, each with a snippet of the plan file.
    ///
    /// Print them with `{:?}` for the graphical form. Secret values in the snippets (an
    /// `api_key` pasted into the plan) are masked.
    pub fn to_reports(&self) -> Vec<miette::Report> {
        match self {
            PlanError::Read { .. } => vec![miette::Report::msg(self.to_string())],
            PlanError::Syntax { issue, text, .. } => vec![issue_report(issue, text)],
            PlanError::Invalid { issues, text } => issues
                .iter()
                .map(|issue| issue_report(issue, text))
                .collect(),
        }
    }
}

/// One issue as a miette report with a snippet of `text` under it.
fn issue_report(issue: &Issue, text: &Arc<str>) -> miette::Report {
    let file = issue.file.display().to_string();
    miette::Report::new(IssueDiagnostic {
        headline: issue.to_string(),
        label: issue.message.clone(),
        span: issue.span.map(SourceSpan::from),
        code: NamedSource::new(file, Arc::clone(text)),
    })
}

/// Displays issues one per line.
struct IssueList<'a>(&'a [Issue]);

impl fmt::Display for IssueList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

/// A plan issue with its snippet, for miette.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{headline}")]
struct IssueDiagnostic {
    headline: String,
    label: String,
    #[label("{label}")]
    span: Option<SourceSpan>,
    #[source_code]
    code: NamedSource<Arc<str>>,
}

/// Why a legacy user could not be mapped onto an identity.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A template failed while rendering (for example a filter applied to the wrong type).
    #[error("{field}: template failed to render")]
    Render {
        /// The mapping field, such as `identity.traits.email`.
        field: String,
        /// The template engine's error.
        #[source]
        source: minijinja::Error,
    },

    /// A template produced a value JSON cannot hold (such as a function).
    #[error("{field}: template result cannot be written as JSON")]
    NotJson {
        /// The mapping field, such as `identity.traits.email`.
        field: String,
        /// The conversion error.
        #[source]
        source: serde_json::Error,
    },
}

/// Appends `key` to a field path: `a` + `b` gives `a.b`; odd keys are quoted: `a["x.y"]`.
pub(crate) fn field_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{key:?}]"),
    }
}

/// Appends a list index to a field path: `phases` + 1 gives `phases[1]`.
pub(crate) fn field_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Replaces control characters so that text from the file cannot garble a terminal.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

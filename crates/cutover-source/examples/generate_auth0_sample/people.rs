//! The people of the sample: a name from one culture and an address derived from it.

use std::collections::HashSet;

use crate::names::{CULTURES, Culture, DOMAINS, STAFF_DOMAIN};
use crate::rng::Rng;

/// A person before they become an Auth0 user.
pub struct Person {
    pub given: &'static str,
    pub family: &'static str,
    pub name: String,
    pub locale: &'static str,
    /// The ASCII spelling used in addresses and nicknames, e.g. `jose.garcia`.
    pub handle: String,
}

/// Draws a person from the cultures, each as often as its weight says.
pub fn person(rng: &mut Rng) -> Person {
    let culture = culture(rng);
    let (given, given_ascii) = *rng.pick(&culture.given_names());
    let (family, family_ascii) = *rng.pick(&culture.family_names());

    let initial = &given_ascii[..1];
    let handle = match rng.below(4) {
        0 => format!("{given_ascii}.{family_ascii}"),
        1 => format!("{given_ascii}{family_ascii}"),
        2 => format!("{initial}{family_ascii}"),
        _ => format!("{given_ascii}_{family_ascii}"),
    };
    let name = culture.full_name(given, family);
    Person {
        given,
        family,
        name,
        locale: culture.locale,
        handle,
    }
}

fn culture(rng: &mut Rng) -> &'static Culture {
    let total: u64 = CULTURES.iter().map(|culture| culture.weight).sum();
    let mut draw = rng.below(total);
    for culture in CULTURES {
        if draw < culture.weight {
            return culture;
        }
        draw -= culture.weight;
    }
    unreachable!("the draw is below the sum of the weights")
}

/// Hands out addresses that are unique ignoring case, so that the only case-insensitive
/// duplicates in the sample are the ones made on purpose.
#[derive(Default)]
pub struct Addresses {
    taken: HashSet<String>,
}

impl Addresses {
    /// An address at the company's own domain.
    pub fn staff(&mut self, rng: &mut Rng, person: &Person) -> String {
        let local = self.unique(rng, &person.handle, STAFF_DOMAIN);
        let local = if rng.percent(5) {
            capitalised(&local)
        } else {
            local
        };
        format!("{local}@{STAFF_DOMAIN}")
    }

    /// An address at one of the customers' domains, written with capitals now and then.
    pub fn customer(&mut self, rng: &mut Rng, person: &Person) -> String {
        let domain = *rng.pick(DOMAINS);
        let local = self.unique(rng, &person.handle, domain);
        if !rng.percent(12) {
            return format!("{local}@{domain}");
        }

        let domain = if rng.percent(33) {
            capitalised(domain)
        } else {
            domain.to_string()
        };
        format!("{}@{domain}", capitalised(&local))
    }

    fn unique(&mut self, rng: &mut Rng, handle: &str, domain: &str) -> String {
        let mut local = handle.to_string();
        while !self.taken.insert(format!("{local}@{domain}")) {
            local = format!("{handle}{}", 10 + rng.below(90));
        }
        local
    }
}

/// Capitalises each part between dots, underscores and `@`: `jose.garcia` → `Jose.Garcia`.
pub fn capitalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        out.extend(if start {
            c.to_uppercase().collect::<Vec<_>>()
        } else {
            vec![c]
        });
        start = matches!(c, '.' | '_' | '@');
    }
    out
}

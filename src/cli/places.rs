//! Resolving the place names given on a command line, as one document: names shared
//! across countries prefer the country most of the other names are in.

use std::collections::BTreeMap;

use clashmap::geocode::{Geocoder, NotFound, Resolution, ResolveOptions};

/// Options shared by the commands that take place names.
#[derive(Debug, Clone, clap::Args)]
pub struct NameOptions {
    /// Language of the names (nl, en, de, fr): applies that press's transliteration
    /// (Dutch "Kaboel", "Tsjarikar"). Default: try every language.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Prefer places in this country (ISO code, e.g. AF) for names shared across
    /// countries. Default: the country most of the given names resolve to.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
}

/// Resolves every name; the focus country is `--country` or the most common country
/// of a first pass.
pub fn resolve_all(
    geocoder: &Geocoder,
    names: &[String],
    opts: &NameOptions,
) -> Vec<Result<Resolution, NotFound>> {
    let lang = opts.lang.as_deref();
    let country = opts.country.as_ref().map(|c| c.to_uppercase());
    let focus = country.or_else(|| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for n in names {
            let o = ResolveOptions {
                lang,
                ..Default::default()
            };
            if let Ok(r) = geocoder.resolve(n, &o) {
                *counts
                    .entry(&geocoder.place(r.place).country_code)
                    .or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(c, _)| c.to_string())
    });
    let o = ResolveOptions {
        lang,
        focus_country: focus.as_deref(),
        hint: None,
    };
    names
        .iter()
        .map(|n| geocoder.resolve_or_suggest(n, &o))
        .collect()
}

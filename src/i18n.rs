//! The words a person reads, in English and Japanese: one table per language (`en.rs`,
//! `ja.rs`, both of the struct in `texts.rs`, so a text missing in either language does not
//! compile), the language in use, and the translation of `cloudflow-core`'s typed rules.
//!
//! Which language: the person's choice in this browser (the switch in the top bar), else the
//! signed-in person's `language` from DoiT's API (remembered here for the next visit's first
//! paint), else the browser's, else English. The head script of `index.html`
//! (`prerender/show.js`) makes the same choice before the first paint, to show the static Setup
//! step in that language. The generated artefacts stay as AWS reads them.

use std::cell::Cell;
use std::fmt::Display;

use cloudflow_core::{Broad, ParseError, Rule, Shape};
use leptos::prelude::*;

mod en;
mod ja;
mod texts;

pub use en::EN;
pub use ja::JA;
pub use texts::Texts;

/// The languages of DoiT's console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// Where the person's choice of language is kept (localStorage).
pub const CHOICE_KEY: &str = "cloudflow-connect.lang";
/// Where the signed-in person's language from DoiT's API is remembered (localStorage).
pub const USER_KEY: &str = "cloudflow-connect.user-lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The BCP 47 tag, as `<html lang>` and DoiT's API write it.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, as the switch shows it whatever the page's language.
    pub const fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// `ja`, `ja-JP`, `EN-us`…; `None` for a language the app does not have.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }
}

thread_local! {
    static CURRENT: Cell<Option<Lang>> = const { Cell::new(None) };
    /// The App's [`PageLang`], for switches that happen outside its components (an event
    /// handler runs without the component's context).
    static PAGE: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
}

/// The language in use (decided at the first call, see [`initial`]).
pub fn lang() -> Lang {
    CURRENT.with(|c| match c.get() {
        Some(l) => l,
        None => {
            let l = initial();
            c.set(Some(l));
            l
        }
    })
}

/// The texts of the language in use.
pub fn t() -> &'static Texts {
    lang().texts()
}

/// The page's language, as the App's frame follows it: changing it rebuilds the page in the
/// other language (what was typed is in the draft, which survives that).
pub fn page_lang() -> RwSignal<Lang> {
    let page = RwSignal::new(lang());
    PAGE.with(|p| p.set(Some(page)));
    set_lang(lang());
    page
}

/// Switches the page to `lang`: the texts, `<html lang>`, the title, and the frame (see
/// [`page_lang`]). The rebuild waits for the current event to end, after the focused field
/// was left (its handlers still see the page they belong to).
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(Some(lang)));
    let doc = document();
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    doc.set_title(lang.texts().page_title);
    let Some(page) = PAGE.with(Cell::get) else {
        return;
    };
    if page.get_untracked() == lang {
        return;
    }
    if let Some(focused) = doc
        .active_element()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = focused.blur();
    }
    set_timeout(
        move || {
            if !page.is_disposed() {
                page.set(lang);
            }
        },
        std::time::Duration::ZERO,
    );
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<Lang> {
    Lang::from_tag(&local_storage()?.get_item(key).ok()??)
}

/// The person's choice in this browser, else the signed-in person's language remembered from
/// the last visit, else the browser's first language the app has, else English.
pub fn initial() -> Lang {
    // Outside a browser (the native unit tests): English.
    if !cfg!(target_arch = "wasm32") {
        return Lang::En;
    }
    if let Some(l) = stored(CHOICE_KEY).or_else(|| stored(USER_KEY)) {
        return l;
    }
    web_sys::window()
        .map(|w| w.navigator().languages())
        .and_then(|list| {
            list.iter()
                .filter_map(|v| v.as_string())
                .find_map(|tag| Lang::from_tag(&tag))
        })
        .unwrap_or_default()
}

/// The person picked `lang` with the switch: remembered in this browser, and applied.
pub fn choose(lang: Lang) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(CHOICE_KEY, lang.code());
    }
    set_lang(lang);
}

/// The signed-in person's `language` from DoiT's API: remembered for the next visit's first
/// paint, and applied unless the person chose a language in this browser.
pub fn user_language(tag: &str) {
    let Some(lang) = Lang::from_tag(tag) else {
        return;
    };
    let Some(s) = local_storage() else {
        set_lang(lang);
        return;
    };
    let _ = s.set_item(USER_KEY, lang.code());
    if stored(CHOICE_KEY).is_none() {
        set_lang(lang);
    }
}

/// `template` with `{0}`, `{1}`… replaced by `args` (non-generic: one copy in the wasm).
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let index = after
            .find('}')
            .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
        match index {
            Some((i, close)) => {
                if let Some(arg) = args.get(i) {
                    out.push_str(&arg.to_string());
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// An account's regions as a person reads them: listed, or "All regions" when none are named.
pub fn regions(regions: &[String]) -> String {
    if regions.is_empty() {
        t().all_regions.to_owned()
    } else {
        regions.join(", ")
    }
}

/// A date (`2026-12-07`) as the language writes it.
pub fn date(iso: &str) -> String {
    match lang() {
        Lang::En => iso.to_owned(),
        Lang::Ja => iso.replace('-', "/"),
    }
}

/// A `cloudflow-core` rule's message in the language in use.
pub fn rule(t: &Texts, rule: &Rule) -> String {
    let hint = |h: &Option<String>| {
        h.as_ref()
            .map_or(String::new(), |s| fill(t.rule_hint, &[s]))
    };
    match rule {
        Rule::Parse(e) => parse_error(t, e),
        Rule::Unknown => t.rule_invalid.to_owned(),
        Rule::GcpConfigPresent => t.rule_gcp_config.to_owned(),
        Rule::NotAws => t.rule_not_aws.to_owned(),
        Rule::UsedInRow(row) => fill(t.rule_used_in_row, &[row]),
        Rule::ListedInRow(row) => fill(t.rule_listed_in_row, &[row]),
        Rule::NoAccount => t.rule_no_account.to_owned(),
        Rule::NoOwner => t.rule_no_owner.to_owned(),
        Rule::UnknownRegion(h) => fill(t.rule_unknown_region, &[&hint(h)]),
        Rule::RegionPartition(p) => fill(t.rule_region_partition, &[p]),
        Rule::TooManyPolicies(n) => fill(
            t.rule_too_many_policies,
            &[&cloudflow_core::validate::MANAGED_POLICIES_MAX, n],
        ),
        Rule::OverPolicyQuota(n) => fill(
            t.rule_policy_quota,
            &[
                n,
                &cloudflow_core::validate::MANAGED_POLICIES_DEFAULT_QUOTA,
                &cloudflow_core::validate::MANAGED_POLICIES_MAX,
            ],
        ),
        Rule::ServiceLinkedPolicy => t.rule_service_linked.to_owned(),
        Rule::PolicyPartition => t.rule_policy_partition.to_owned(),
        Rule::UnknownPolicy(h) => fill(t.rule_unknown_policy, &[&hint(h)]),
        Rule::Broad(action, what) => {
            let what = match what {
                Broad::Everything => t.broad_everything,
                Broad::PassRole => t.broad_pass_role,
                Broad::Iam => t.broad_iam,
            };
            fill(t.rule_broad, &[action, &what])
        }
        Rule::UnknownService(svc, h) => fill(t.rule_unknown_service, &[svc, &hint(h)]),
        Rule::NoMatchingAction => t.rule_no_matching_action.to_owned(),
        Rule::UnknownAction(h) => fill(t.rule_unknown_action, &[&hint(h)]),
        Rule::InlinePoliciesTooLarge(size) => fill(
            t.rule_inline_too_large,
            &[size, &cloudflow_core::policy::INLINE_POLICY_LIMIT],
        ),
        Rule::NameTaken => t.name_taken.to_owned(),
        Rule::RoleInUse(name) => fill(t.role_clash, &[name]),
    }
}

/// Why a text is not a valid value, in the language in use.
pub fn parse_error(t: &Texts, e: &ParseError) -> String {
    match e {
        ParseError::Empty => t.rule_required.to_owned(),
        ParseError::Shape(s) => fill(t.rule_shape, &[&shape(t, *s)]),
        ParseError::TooLong { max, len } => fill(t.rule_too_long, &[max, len]),
        ParseError::TooShort { min, len } => fill(t.rule_too_short, &[min, len]),
        ParseError::BadChar(c) => {
            let name = match c {
                ' ' => t.char_spaces.to_owned(),
                '\n' | '\r' => t.char_line_breaks.to_owned(),
                '\t' => t.char_tabs.to_owned(),
                c if c.is_control() => {
                    fill(t.char_control, &[&format_args!("U+{:04X}", *c as u32)])
                }
                c => fill(t.char_quoted, &[c]),
            };
            fill(t.rule_bad_char, &[&name])
        }
        ParseError::Whitespace => t.rule_whitespace.to_owned(),
    }
}

fn shape(t: &Texts, s: Shape) -> &'static str {
    match s {
        Shape::AccountId => t.shape_account_id,
        Shape::Action => t.shape_action,
        Shape::Partition => t.shape_partition,
        Shape::PolicyArn => t.shape_policy_arn,
        Shape::Region => t.shape_region,
        Shape::OuId => t.shape_ou_id,
        Shape::RootId => t.shape_root_id,
        Shape::Email => t.shape_email,
        Shape::CollaboratorRole => t.shape_collaborator_role,
    }
}

/// A server error's words: English as the server wrote them; in another language the
/// translation of the error's code when the app knows it, else the server's words, said to be
/// the server's.
pub fn server_message(t: &Texts, code: &str, message: &str) -> String {
    if lang() == Lang::En {
        return message.to_owned();
    }
    let known = match code {
        "duplicate_name" => Some(t.code_duplicate_name),
        "not_found" => Some(t.code_not_found),
        "permission_denied" | "forbidden" => Some(t.code_permission_denied),
        "precondition_failed" => Some(t.code_precondition_failed),
        "rate_limited" => Some(t.code_rate_limited),
        "validation_failed" | "invalid_connection_config" => Some(t.code_validation_failed),
        "service_unavailable" | "bad_gateway" => Some(t.code_unavailable),
        _ => None,
    };
    match known {
        Some(text) => text.to_owned(),
        None => fill(t.api_says, &[&message]),
    }
}

/// The switch between the app's languages, in the top bar: each named in its own language;
/// the choice is remembered in this browser.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = lang();
    let t = t();
    view! {
        <label class="cf-lang">
            <span class="cf-lang__label">{t.lang_label}</span>
            <select
                class="cf-input cf-lang__select"
                on:change=move |ev| {
                    if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                        choose(l);
                    }
                }
            >
                {Lang::ALL
                    .map(|l| {
                        view! {
                            <option value=l.code() selected=l == current lang=l.code()>
                                {l.name()}
                            </option>
                        }
                    })}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudflow_core::{CharName, Partition};

    /// Every rule with parameters, as the core reports them.
    fn rules() -> Vec<Rule> {
        let mut out: Vec<Rule> = Shape::ALL
            .into_iter()
            .map(|s| Rule::Parse(ParseError::Shape(s)))
            .collect();
        out.extend([
            Rule::Parse(ParseError::Empty),
            Rule::Parse(ParseError::TooLong { max: 64, len: 70 }),
            Rule::Parse(ParseError::TooShort { min: 2, len: 1 }),
            Rule::Parse(ParseError::Whitespace),
            Rule::Parse(ParseError::BadChar('#')),
            Rule::Parse(ParseError::BadChar(' ')),
            Rule::Parse(ParseError::BadChar('\n')),
            Rule::Parse(ParseError::BadChar('\t')),
            Rule::Parse(ParseError::BadChar('\u{7}')),
            Rule::GcpConfigPresent,
            Rule::NotAws,
            Rule::UsedInRow(2),
            Rule::ListedInRow(3),
            Rule::NoAccount,
            Rule::NoOwner,
            Rule::UnknownRegion(None),
            Rule::UnknownRegion(Some("eu-west-1".into())),
            Rule::RegionPartition(Partition::AwsUsGov),
            Rule::TooManyPolicies(26),
            Rule::OverPolicyQuota(11),
            Rule::ServiceLinkedPolicy,
            Rule::PolicyPartition,
            Rule::UnknownPolicy(Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into())),
            Rule::Broad("*:*".into(), Broad::Everything),
            Rule::Broad("iam:PassRole".into(), Broad::PassRole),
            Rule::Broad("iam:*".into(), Broad::Iam),
            Rule::UnknownService("s4".into(), Some("s3:GetObject".into())),
            Rule::NoMatchingAction,
            Rule::UnknownAction(None),
            Rule::InlinePoliciesTooLarge(10_300),
            Rule::NameTaken,
            Rule::RoleInUse("Production read-only".into()),
        ]);
        out
    }

    #[test]
    fn the_english_table_says_exactly_what_the_core_says() {
        for r in rules() {
            assert_eq!(rule(&EN, &r), r.to_string(), "{r:?}");
        }
        assert_eq!(CharName('#').to_string(), "\"#\"");
    }

    #[test]
    fn japanese_rules_keep_their_parameters() {
        let too_long = rule(
            &JA,
            &Rule::Parse(ParseError::TooLong { max: 200, len: 201 }),
        );
        assert_eq!(too_long, "200 文字以内にしてください (現在 201 文字)");
        let hint = rule(&JA, &Rule::UnknownRegion(Some("eu-west-1".into())));
        assert!(hint.contains("eu-west-1"), "{hint}");
        let broad = rule(&JA, &Rule::Broad("iam:*".into(), Broad::Iam));
        assert!(broad.starts_with("iam:* は"), "{broad}");
        for r in rules() {
            let ja = rule(&JA, &r);
            assert_ne!(ja, r.to_string(), "{r:?} is not translated");
            assert!(!ja.contains('{'), "{r:?}: {ja}");
        }
    }

    /// Every field of both tables, by reflection through `Debug` (the struct's own listing).
    fn entries(t: &Texts) -> Vec<(String, String)> {
        let text = format!("{t:#?}");
        text.lines()
            .filter_map(|line| {
                let (key, value) = line.trim().split_once(": ")?;
                let value = value.trim_end_matches(',');
                let value: String = serde_json::from_str(value).ok()?;
                Some((key.to_owned(), value))
            })
            .collect()
    }

    fn placeholders(s: &str) -> Vec<String> {
        let mut out: Vec<String> = (0..10)
            .map(|i| format!("{{{i}}}"))
            .filter(|p| s.contains(p.as_str()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_text_is_translated_with_the_same_parameters() {
        let en = entries(&EN);
        let ja = entries(&JA);
        assert!(en.len() > 250, "{}", en.len());
        assert_eq!(
            en.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ja.iter().map(|(k, _)| k).collect::<Vec<_>>()
        );
        for ((key, e), (_, j)) in en.iter().zip(&ja) {
            assert!(!e.trim().is_empty(), "{key}: empty in English");
            assert!(!j.trim().is_empty(), "{key}: empty in Japanese");
            assert_ne!(e, j, "{key}: the Japanese is the English");
            assert_eq!(placeholders(e), placeholders(j), "{key}: parameters differ");
            // Japanese text has Japanese in it (AWS names alone would be left in English).
            assert!(
                j.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                    || ('\u{4e00}'..='\u{9fff}').contains(&c)
                    || c == '「'
                    || c == '/'),
                "{key}: {j}"
            );
        }
    }

    #[test]
    fn fill_puts_parameters_in_their_places() {
        assert_eq!(fill("{1} of {0}", &[&"a", &2]), "2 of a");
        assert_eq!(fill("{0} {x} {", &[&1]), "1 {x} {");
        assert_eq!(fill("plain", &[]), "plain");
    }

    #[test]
    fn tags_name_the_language() {
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}

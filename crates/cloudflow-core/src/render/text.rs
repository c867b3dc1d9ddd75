//! Fitting a person's text into the places where AWS restricts characters.

/// Characters IAM accepts in a role `Description`: `[\t\n\r\x20-\x7E\xA1-\xFF]`.
fn iam_description_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A1}'..='\u{FF}')
}

/// Collapses runs of whitespace, drops what `keep` rejects, trims, and cuts at `max_chars`
/// characters and `max_bytes` UTF-8 bytes.
fn fit(text: &str, keep: fn(char) -> bool, max_chars: usize, max_bytes: usize) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    let mut chars = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if !keep(c) {
            continue;
        }
        let need = usize::from(pending_space) + 1;
        if chars + need > max_chars
            || out.len() + usize::from(pending_space) + c.len_utf8() > max_bytes
        {
            break;
        }
        if pending_space {
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        out.push(c);
        chars += 1;
    }
    out
}

/// A role `Description`: at most 1,000 characters of what IAM accepts.
pub fn iam_description(text: &str) -> String {
    fit(text, iam_description_char, 1000, usize::MAX)
}

/// A template `Description`: at most 1,024 bytes, kept to what IAM descriptions accept.
pub fn template_description(text: &str) -> String {
    fit(text, iam_description_char, usize::MAX, 1024)
}

/// Characters IAM accepts in a tag value (`[\p{L}\p{Z}\p{N}_.:/=+\-@]`); outside ASCII only
/// ranges made wholly of letters are kept, so no combining mark slips through.
fn tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || " _.:/=+-@".contains(c)
        || matches!(c,
            '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}'
            | '\u{391}'..='\u{3A1}' | '\u{3A3}'..='\u{3A9}' | '\u{3AC}'..='\u{3CE}'
            | '\u{410}'..='\u{44F}'
            | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}'
            | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

/// An IAM tag value: at most 256 characters of what tags accept.
pub fn tag_value(text: &str) -> String {
    fit(text, tag_char, 256, usize::MAX)
}

/// The `${Name}` forms in a person's `texts` (`Name` of letters, digits, `_`, `:` and `.`),
/// sorted and without repeats. CloudFormation substitutes only inside `Fn::Sub`, so in the
/// template's metadata and descriptions they are literal text; cfn-lint (E1029) reads each
/// one that names a parameter, resource or pseudo parameter as a forgotten `Fn::Sub`, so the
/// template lists them for it (see [`cfn_lint_literals`]).
pub fn substitution_lookalikes<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            let after = &rest[at + 2..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_:.".contains(c)))
                .unwrap_or(after.len());
            if name_len > 0 && after[name_len..].starts_with('}') {
                found.insert(after[..name_len].to_string());
            }
            rest = after;
        }
    }
    found.into_iter().collect()
}

/// cfn-lint's own template setting (`Metadata.cfn-lint.config`) that tells its E1029 the
/// `${Name}` forms of the person's texts are literal: an anchored pattern of exactly those.
pub fn cfn_lint_literals(names: &[String]) -> String {
    let alternatives: Vec<String> = names.iter().map(|n| n.replace('.', "\\.")).collect();
    format!("^\\$\\{{(?:{})\\}}$", alternatives.join("|"))
}

/// `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_only_what_iam_accepts() {
        assert_eq!(
            iam_description("Prod  \"ops\"\n# team ${x} café ✓ 日本"),
            "Prod \"ops\" # team ${x} café"
        );
        assert_eq!(iam_description(&"é".repeat(1200)).chars().count(), 1000);
        assert!(template_description(&"é".repeat(1200)).len() <= 1024);
        assert_eq!(iam_description("   "), "");
    }

    #[test]
    fn tag_values() {
        assert_eq!(
            tag_value("Prod: \"ops\" #1 日本 Ελλάδα 👍"),
            "Prod: ops 1 日本 Ελλάδα"
        );
        assert_eq!(tag_value(&"a".repeat(300)).len(), 256);
        assert!(tag_value("a\u{301}").chars().all(tag_char));
    }

    #[test]
    fn substitution_lookalikes_are_found_once_each() {
        assert_eq!(
            substitution_lookalikes([
                "a ${AWS::Region} ${x.y} ${AWS::Region}",
                "${ bad} ${} ${!Lit} $${Role.Arn} ${${RoleName}",
            ]),
            ["AWS::Region", "Role.Arn", "RoleName", "x.y"]
        );
        assert!(substitution_lookalikes(["no ${ here", "${"]).is_empty());
        assert_eq!(
            cfn_lint_literals(&["AWS::Region".into(), "Role.Arn".into()]),
            r"^\$\{(?:AWS::Region|Role\.Arn)\}$"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(5210), "5,210");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}

//! A small block-YAML emitter for [`Node`] trees, written for CloudFormation's readers (YAML 1.1)
//! and modern ones (YAML 1.2) alike: a string is written plain only when it starts with a letter,
//! is no YAML 1.1 boolean or null word and holds only harmless characters; otherwise it is
//! single-quoted, a literal block (`|`), or double-quoted with escapes, whichever represents it
//! exactly.

use std::fmt::Write;

use super::tree::Node;

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Characters YAML allows in a document, minus those some readers take for line breaks or a BOM.
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

const YAML11_WORDS: [&str; 9] = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || s.ends_with([' ', ':']) {
        return false;
    }
    if YAML11_WORDS.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    let bytes = s.as_bytes();
    s.bytes().enumerate().all(|(i, b)| match b {
        b'A'..=b'Z'
        | b'a'..=b'z'
        | b'0'..=b'9'
        | b'_'
        | b'.'
        | b'/'
        | b'@'
        | b'+'
        | b'='
        | b'-'
        | b'*'
        | b'$'
        | b'('
        | b')' => true,
        b' ' => bytes.get(i + 1) != Some(&b' '),
        b':' => !flow && bytes.get(i + 1).is_some_and(|n| *n != b' '),
        _ => false,
    })
}

fn single_quote_ok(s: &str) -> bool {
    s.chars().all(printable)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// The one-line form of a string.
pub(crate) fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_string()
    } else if single_quote_ok(s) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quoted(s)
    }
}

/// `|` / `|-` when a literal block keeps the string exactly and lints clean.
fn literal_header(s: &str) -> Option<&'static str> {
    if !s.contains('\n') || s.contains("\n\n\n") || s.starts_with([' ', '\n']) {
        return None;
    }
    let body = s.strip_suffix('\n');
    if body.is_some_and(|b| b.ends_with('\n')) {
        return None;
    }
    let content = body.unwrap_or(s);
    let lines_ok = content
        .split('\n')
        .all(|l| !l.ends_with(' ') && l.chars().all(printable));
    if !lines_ok {
        return None;
    }
    Some(if body.is_some() { "|" } else { "|-" })
}

fn flow(node: &Node) -> Option<String> {
    match node {
        Node::Str(s) => Some(scalar(s, true)),
        Node::Bool(b) => Some(b.to_string()),
        Node::Int(i) => Some(i.to_string()),
        Node::Fn(f, arg) => Some(format!("!{} {}", f.yaml_tag(), flow(arg)?)),
        Node::List(items) => {
            let parts: Option<Vec<String>> = items.iter().map(flow).collect();
            Some(format!("[{}]", parts?.join(", ")))
        }
        Node::Map(entries) if entries.is_empty() => Some("{}".to_string()),
        Node::Map(_) => None,
    }
}

const FLOW_WIDTH: usize = 72;

/// Writes `node` after a `key:` or `-` indicator; nested content is indented to `child`.
pub(crate) fn after_indicator(out: &mut String, node: &Node, child: usize) {
    match node {
        Node::Str(s) => {
            if let Some(h) = literal_header(s) {
                out.push(' ');
                out.push_str(h);
                out.push('\n');
                for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                    if !line.is_empty() {
                        pad(out, child);
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            } else {
                out.push(' ');
                out.push_str(&scalar(s, false));
                out.push('\n');
            }
        }
        Node::Bool(_) | Node::Int(_) => {
            out.push(' ');
            out.push_str(&flow(node).unwrap_or_default());
            out.push('\n');
        }
        Node::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Node::List(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Map(entries) => {
            out.push('\n');
            write_map(out, entries, child, false);
        }
        Node::List(items) => {
            out.push('\n');
            write_list(out, items, child);
        }
        Node::Fn(f, arg) => {
            out.push_str(" !");
            out.push_str(f.yaml_tag());
            match arg.as_ref() {
                Node::Str(s) if literal_header(s).is_none() => {
                    out.push(' ');
                    out.push_str(&scalar(s, false));
                    out.push('\n');
                }
                other => match flow(other).filter(|f| f.len() <= FLOW_WIDTH) {
                    Some(f) => {
                        out.push(' ');
                        out.push_str(&f);
                        out.push('\n');
                    }
                    None => after_indicator(out, other, child),
                },
            }
        }
    }
}

/// Writes a mapping at `indent`; with `inline_first` the first key follows a `- ` already written.
pub(crate) fn write_map(
    out: &mut String,
    entries: &[(String, Node)],
    indent: usize,
    inline_first: bool,
) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(out, indent);
        }
        out.push_str(&scalar(k, false));
        out.push(':');
        after_indicator(out, v, indent + 2);
    }
}

fn write_list(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                write_map(out, entries, indent + 2, true);
            }
            other => after_indicator(out, other, indent + 2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(scalar("us-east-1", false), "us-east-1");
        assert_eq!(
            scalar("arn:aws:iam::aws:policy/X", false),
            "arn:aws:iam::aws:policy/X"
        );
        assert_eq!(
            scalar("arn:aws:iam::aws:policy/X", true),
            "'arn:aws:iam::aws:policy/X'"
        );
        for quoted in [
            "2010-09-09",
            "012345678901",
            "yes",
            "No",
            "on",
            "12:30",
            "a: b",
            "a #b",
            "",
            " a",
            "-x",
            "*",
            "a,b",
            "~",
            "null",
            "1e3",
            ".inf",
        ] {
            assert!(scalar(quoted, false).starts_with(['\'', '"']), "{quoted}");
        }
        assert_eq!(scalar("it's", false), "'it''s'");
        assert_eq!(scalar("a\u{85}b\u{1}", false), "\"a\\x85b\\x01\"");
        assert_eq!(scalar("😀\u{2028}", false), "\"😀\\u2028\"");
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(literal_header("a\nb\n"), Some("|"));
        assert_eq!(literal_header("a\nb"), Some("|-"));
        assert_eq!(literal_header("a \nb"), None);
        assert_eq!(literal_header("a\nb\n\n"), None);
        assert_eq!(literal_header(" a\nb"), None);
        let n = Node::map([("K", Node::s("x:\n  y\n\nz\n"))]);
        assert_eq!(n.to_yaml().unwrap(), "K: |\n  x:\n    y\n\n  z\n");
    }

    #[test]
    fn lists_of_maps() {
        let n = Node::map([(
            "L",
            Node::list([
                Node::map([("A", Node::s("1x")), ("B", Node::list([Node::s("b")]))]),
                Node::s("z"),
            ]),
        )]);
        assert_eq!(
            n.to_yaml().unwrap(),
            "L:\n  - A: '1x'\n    B:\n      - b\n  - z\n"
        );
    }
}

//! A small typed HCL emitter. Every string from a person goes through [`Expr::Str`], which
//! escapes `\`, `"`, control characters, `${` and `%{`; identifiers and expressions written by
//! the generator itself use [`Expr::Code`].

use std::fmt::Write;

/// An HCL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal string, escaped on output.
    Str(String),
    /// A template the generator wrote (may hold `${...}` interpolations); never person text.
    Template(&'static str),
    /// A bare expression the generator wrote (`var.role_name`, `length(x) > 0`).
    Code(String),
    Bool(bool),
    List(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    /// A function call such as `jsonencode({...})`.
    Call(&'static str, Vec<Expr>),
}

impl Expr {
    pub fn s(v: impl Into<String>) -> Expr {
        Expr::Str(v.into())
    }
    pub fn code(v: impl Into<String>) -> Expr {
        Expr::Code(v.into())
    }
    pub fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Expr {
        Expr::List(items.into_iter().map(|s| Expr::Str(s.into())).collect())
    }
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// One item of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(&'static str, Expr),
    Block(Block),
    Blank,
}

/// `ident "label" ... { body }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: &'static str,
    pub labels: Vec<String>,
    pub body: Vec<Item>,
}

impl Block {
    pub fn new(ident: &'static str, labels: &[&str]) -> Block {
        Block {
            ident,
            labels: labels.iter().map(|l| l.to_string()).collect(),
            body: Vec::new(),
        }
    }
    pub fn attr(mut self, key: &'static str, value: Expr) -> Block {
        self.body.push(Item::Attr(key, value));
        self
    }
    pub fn block(mut self, b: Block) -> Block {
        self.body.push(Item::Block(b));
        self
    }
}

/// Escapes a string for an HCL quoted template.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn write_expr(out: &mut String, e: &Expr, indent: usize) {
    match e {
        Expr::Str(s) => {
            out.push('"');
            out.push_str(&escape(s));
            out.push('"');
        }
        Expr::Template(t) => {
            out.push('"');
            out.push_str(t);
            out.push('"');
        }
        Expr::Code(c) => out.push_str(c),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::List(items) if items.is_empty() => out.push_str("[]"),
        Expr::List(items) => {
            out.push_str("[\n");
            for item in items {
                pad(out, indent + 1);
                write_expr(out, item, indent + 1);
                out.push_str(",\n");
            }
            pad(out, indent);
            out.push(']');
        }
        Expr::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Expr::Object(entries) => {
            out.push_str("{\n");
            let values: Vec<String> = entries
                .iter()
                .map(|(_, v)| {
                    let mut s = String::new();
                    write_expr(&mut s, v, indent + 1);
                    s
                })
                .collect();
            let widths = group_widths(entries.iter().map(|(k, _)| key_len(k)), &values);
            for (((k, _), v), width) in entries.iter().zip(&values).zip(widths) {
                pad(out, indent + 1);
                let len = key_len(k);
                if is_ident(k) {
                    out.push_str(k);
                } else {
                    out.push('"');
                    out.push_str(&escape(k));
                    out.push('"');
                }
                out.push_str(&" ".repeat(width - len));
                out.push_str(" = ");
                out.push_str(v);
                out.push('\n');
            }
            pad(out, indent);
            out.push('}');
        }
        Expr::Call(name, args) => {
            out.push_str(name);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a, indent);
            }
            out.push(')');
        }
    }
}

fn key_len(k: &str) -> usize {
    if is_ident(k) {
        k.chars().count()
    } else {
        escape(k).chars().count() + 2
    }
}

fn pad(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

/// Key widths as `terraform fmt` aligns them: over runs of consecutive attributes, a run
/// ending after an attribute whose value spans several lines.
fn group_widths(keys: impl Iterator<Item = usize>, values: &[String]) -> Vec<usize> {
    let keys: Vec<usize> = keys.collect();
    let mut widths = vec![0; keys.len()];
    let mut start = 0;
    for i in 0..keys.len() {
        if values[i].contains('\n') || i + 1 == keys.len() {
            let w = keys[start..=i].iter().copied().max().unwrap_or(0);
            widths[start..=i].iter_mut().for_each(|x| *x = w);
            start = i + 1;
        }
    }
    widths
}

fn write_body(out: &mut String, items: &[Item], indent: usize) {
    let mut i = 0;
    while i < items.len() {
        let run: Vec<(&str, &Expr)> = items[i..]
            .iter()
            .map_while(|item| match item {
                Item::Attr(k, v) => Some((*k, v)),
                _ => None,
            })
            .collect();
        if run.is_empty() {
            match &items[i] {
                Item::Block(b) => write_block(out, b, indent),
                Item::Blank => out.push('\n'),
                Item::Attr(..) => {}
            }
            i += 1;
            continue;
        }
        let values: Vec<String> = run
            .iter()
            .map(|(_, v)| {
                let mut s = String::new();
                write_expr(&mut s, v, indent);
                s
            })
            .collect();
        let widths = group_widths(run.iter().map(|(k, _)| k.len()), &values);
        for (((k, _), v), width) in run.iter().zip(&values).zip(widths) {
            pad(out, indent);
            out.push_str(k);
            out.push_str(&" ".repeat(width - k.len()));
            out.push_str(" = ");
            out.push_str(v);
            out.push('\n');
        }
        i += run.len();
    }
}

fn write_block(out: &mut String, b: &Block, indent: usize) {
    pad(out, indent);
    out.push_str(b.ident);
    for l in &b.labels {
        out.push_str(" \"");
        out.push_str(&escape(l));
        out.push('"');
    }
    if b.body.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    write_body(out, &b.body, indent + 1);
    pad(out, indent);
    out.push_str("}\n");
}

/// A file: a leading comment (fixed text only) and top-level blocks separated by blank lines.
pub fn file(comment: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in comment.lines() {
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    for b in blocks {
        out.push('\n');
        write_block(&mut out, b, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("${x} %{if} $x %x"), "$${x} %%{if} $x %x");
        assert_eq!(escape("a\nb\u{1}"), "a\\nb\\u0001");
        assert_eq!(escape("$${"), "$$${");
    }

    #[test]
    fn layout() {
        let b = Block::new("resource", &["aws_iam_role", "r"])
            .attr("name", Expr::s("x"))
            .attr(
                "tags",
                Expr::object([("a:b", Expr::s("1")), ("k", Expr::Bool(true))]),
            )
            .block(Block::new("lifecycle", &[]));
        let s = file("hello", &[b]);
        assert_eq!(
            s,
            "# hello\n\nresource \"aws_iam_role\" \"r\" {\n  name = \"x\"\n  tags = {\n    \"a:b\" = \"1\"\n    k     = true\n  }\n  lifecycle {}\n}\n"
        );
    }
}

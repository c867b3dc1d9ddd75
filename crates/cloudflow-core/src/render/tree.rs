//! An ordered CloudFormation tree that serialises to JSON (long-form intrinsics, `{"Fn::Sub": ..}`,
//! through serde_json) and to YAML (short-form tags, `!Sub ..`, through [`super::yaml`]).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// CloudFormation intrinsic functions used by the generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intrinsic {
    Ref,
    Sub,
    GetAtt,
    If,
    Equals,
    Not,
    Join,
}

impl Intrinsic {
    const fn json_key(self) -> &'static str {
        match self {
            Intrinsic::Ref => "Ref",
            Intrinsic::Sub => "Fn::Sub",
            Intrinsic::GetAtt => "Fn::GetAtt",
            Intrinsic::If => "Fn::If",
            Intrinsic::Equals => "Fn::Equals",
            Intrinsic::Not => "Fn::Not",
            Intrinsic::Join => "Fn::Join",
        }
    }
    pub(crate) const fn yaml_tag(self) -> &'static str {
        match self {
            Intrinsic::Ref => "Ref",
            Intrinsic::Sub => "Sub",
            Intrinsic::GetAtt => "GetAtt",
            Intrinsic::If => "If",
            Intrinsic::Equals => "Equals",
            Intrinsic::Not => "Not",
            Intrinsic::Join => "Join",
        }
    }
}

/// A node of the template; maps keep insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    Fn(Intrinsic, Box<Node>),
}

impl Node {
    pub fn s(v: impl Into<String>) -> Node {
        Node::Str(v.into())
    }
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    pub fn list(items: impl IntoIterator<Item = Node>) -> Node {
        Node::List(items.into_iter().collect())
    }
    pub fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Node {
        Node::List(items.into_iter().map(|s| Node::Str(s.into())).collect())
    }
    pub fn reference(name: &str) -> Node {
        Node::Fn(Intrinsic::Ref, Box::new(Node::s(name)))
    }
    pub fn sub(template: &str) -> Node {
        Node::Fn(Intrinsic::Sub, Box::new(Node::s(template)))
    }
    pub fn get_att(resource: &str, attribute: &str) -> Node {
        Node::Fn(
            Intrinsic::GetAtt,
            Box::new(Node::strs([resource, attribute])),
        )
    }
    pub fn call(f: Intrinsic, args: Vec<Node>) -> Node {
        Node::Fn(f, Box::new(Node::List(args)))
    }
    /// Renders as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> Result<String, String> {
        let mut s =
            serde_json::to_string_pretty(&Styled { node: self }).map_err(|e| e.to_string())?;
        s.push('\n');
        Ok(s)
    }
    /// Renders as block YAML with short-form intrinsic tags, ending in a newline. Strings are
    /// quoted whenever a YAML 1.1 or 1.2 reader could take them for anything but that string.
    pub fn to_yaml(&self) -> Result<String, String> {
        let mut out = String::new();
        match self {
            Node::Map(entries) => super::yaml::write_map(&mut out, entries, 0, false),
            _ => return Err("a template must be a mapping".to_string()),
        }
        Ok(out)
    }
}

struct Styled<'a> {
    node: &'a Node,
}

impl Serialize for Styled<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let wrap = |node| Styled { node };
        match self.node {
            Node::Str(s) => ser.serialize_str(s),
            Node::Bool(b) => ser.serialize_bool(*b),
            Node::Int(i) => ser.serialize_i64(*i),
            Node::List(items) => {
                let mut seq = ser.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&wrap(item))?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = ser.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, &wrap(v))?;
                }
                map.end()
            }
            Node::Fn(f, arg) => {
                let mut map = ser.serialize_map(Some(1))?;
                map.serialize_entry(f.json_key(), &wrap(arg))?;
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_in_both_syntaxes() {
        let n = Node::map([
            ("A", Node::reference("X")),
            (
                "B",
                Node::call(
                    Intrinsic::Equals,
                    vec![Node::reference("AWS::Region"), Node::s("us-east-1")],
                ),
            ),
            ("C", Node::get_att("Role", "Arn")),
            ("D", Node::s("068664126052")),
        ]);
        let y = n.to_yaml().unwrap();
        assert!(y.contains("A: !Ref X\n"), "{y}");
        assert!(
            y.contains("B: !Equals [!Ref 'AWS::Region', us-east-1]\n"),
            "{y}"
        );
        assert!(y.contains("C: !GetAtt [Role, Arn]\n"), "{y}");
        assert!(y.contains("D: '068664126052'\n"), "{y}");
        let j = n.to_json().unwrap();
        assert!(j.contains("\"Fn::Equals\": ["), "{j}");
        assert!(j.contains("\"Ref\": \"X\""), "{j}");
        assert!(j.ends_with("}\n"));
    }
}

//! Checked values ("parse, don't validate"): each newtype can only hold a value that AWS or
//! DoiT accepts, and its `FromStr` error says in plain words what is wrong.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a text is not a valid value; `Display` is what a person reads next to the field (in
/// English; the app translates the variant).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("is required")]
    Empty,
    #[error("must be {0}")]
    Shape(Shape),
    #[error("must be at most {max} characters (is {len})")]
    TooLong { max: usize, len: usize },
    #[error("must be at least {min} characters (is {len})")]
    TooShort { min: usize, len: usize },
    /// A character outside IAM's name set `A-Za-z0-9+=,.@_-`.
    #[error("must not contain {} (only letters, digits and + = , . @ _ - are allowed)", CharName(*.0))]
    BadChar(char),
    #[error("must not have spaces around it")]
    Whitespace,
}

/// What a value must look like, for [`ParseError::Shape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    AccountId,
    Action,
    Partition,
    PolicyArn,
    Region,
    OuId,
    RootId,
    Email,
    CollaboratorRole,
}

impl Shape {
    /// Every shape (for the tests of a translation).
    pub const ALL: [Shape; 9] = [
        Shape::AccountId,
        Shape::Action,
        Shape::Partition,
        Shape::PolicyArn,
        Shape::Region,
        Shape::OuId,
        Shape::RootId,
        Shape::Email,
        Shape::CollaboratorRole,
    ];
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Shape::AccountId => "12 digits",
            Shape::Action => {
                "service:Action, e.g. s3:GetObject (wildcards * and ? allowed in the action)"
            }
            Shape::Partition => "aws, aws-us-gov or aws-cn",
            Shape::PolicyArn => {
                "an AWS managed policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess"
            }
            Shape::Region => "a region id such as eu-west-1",
            Shape::OuId => "an OU id such as ou-ab12-cdefgh34",
            Shape::RootId => "a root id such as r-ab12",
            Shape::Email => "an e-mail address such as ada@example.com",
            Shape::CollaboratorRole => "owner, editor or user",
        })
    }
}

/// A character as a message names it (`"\"#\""`, `spaces`, `control character U+0007`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharName(pub char);

impl fmt::Display for CharName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ' ' => f.write_str("spaces"),
            '\n' | '\r' => f.write_str("line breaks"),
            '\t' => f.write_str("tabs"),
            c if c.is_control() => write!(f, "control character U+{:04X}", c as u32),
            c => write!(f, "\"{c}\""),
        }
    }
}

fn check_trim(s: &str) -> Result<(), ParseError> {
    if s.is_empty() {
        return Err(ParseError::Empty);
    }
    if s.trim() != s {
        if s.trim().is_empty() {
            return Err(ParseError::Empty);
        }
        return Err(ParseError::Whitespace);
    }
    Ok(())
}

macro_rules! newtype {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, ParseError> {
                s.parse()
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

newtype!(
    /// A 12-digit AWS account id; leading zeros are kept (it is a string, never a number).
    AccountId
);
impl FromStr for AccountId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        if !s.bytes().all(|b| b.is_ascii_digit()) || s.len() != 12 {
            return Err(ParseError::Shape(Shape::AccountId));
        }
        Ok(Self(s.to_string()))
    }
}

/// Characters IAM allows in role names (and policy names): `A-Za-z0-9+=,.@_-`.
pub(crate) fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

newtype!(
    /// An IAM role name: 1-64 characters of `A-Za-z0-9+=,.@_-`.
    RoleName
);
impl FromStr for RoleName {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        if let Some(c) = s.chars().find(|&c| !is_iam_name_char(c)) {
            return Err(ParseError::BadChar(c));
        }
        let len = s.chars().count();
        if len > 64 {
            return Err(ParseError::TooLong { max: 64, len });
        }
        Ok(Self(s.to_string()))
    }
}

newtype!(
    /// An IAM action: `service:Action` with `*` / `?` wildcards in the name, or `*` alone.
    IamAction
);
impl IamAction {
    /// The service prefix (`s3`), `*` for the everything action.
    pub fn service(&self) -> &str {
        self.0.split_once(':').map_or("*", |(s, _)| s)
    }
    /// The action name part (`GetObject`, `Describe*`), `*` for the everything action.
    pub fn name(&self) -> &str {
        self.0.split_once(':').map_or("*", |(_, n)| n)
    }
    /// True when the name holds `*` or `?`.
    pub fn is_wildcard(&self) -> bool {
        self.0.contains(['*', '?'])
    }
    /// `*`, `*:*`, `<svc>:*` on iam, and `iam:PassRole`: grants that deserve a second look.
    pub fn is_broad(&self) -> bool {
        let svc = self.service().to_ascii_lowercase();
        let name = self.name().to_ascii_lowercase();
        svc == "*" || (svc == "iam" && (name == "*" || name == "passrole"))
    }
}
impl FromStr for IamAction {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        if s == "*" {
            return Ok(Self(s.to_string()));
        }
        const SHAPE: Shape = Shape::Action;
        let Some((svc, name)) = s.split_once(':') else {
            return Err(ParseError::Shape(SHAPE));
        };
        let svc_ok = svc == "*"
            || (!svc.is_empty()
                && svc.len() <= 64
                && svc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !svc.starts_with('-')
                && !svc.ends_with('-'));
        let name_ok = !name.is_empty()
            && name.len() <= 128
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?');
        if !svc_ok || !name_ok || (svc == "*" && name != "*") {
            return Err(ParseError::Shape(SHAPE));
        }
        Ok(Self(s.to_string()))
    }
}

/// The AWS partitions: commercial, GovCloud and China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Partition {
    #[serde(rename = "aws")]
    Aws,
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
    #[serde(rename = "aws-cn")]
    AwsCn,
}
impl Partition {
    /// The partition name used in ARNs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
        }
    }
    /// The console host of the partition.
    pub const fn console_host(self) -> &'static str {
        match self {
            Partition::Aws => "console.aws.amazon.com",
            Partition::AwsUsGov => "console.amazonaws-us-gov.com",
            Partition::AwsCn => "console.amazonaws.cn",
        }
    }
    /// The partition a region id belongs to, judged from its prefix.
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("us-gov-") {
            Partition::AwsUsGov
        } else if region.starts_with("cn-") {
            Partition::AwsCn
        } else {
            Partition::Aws
        }
    }
}
impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl FromStr for Partition {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s {
            "aws" => Ok(Partition::Aws),
            "aws-us-gov" => Ok(Partition::AwsUsGov),
            "aws-cn" => Ok(Partition::AwsCn),
            _ => Err(ParseError::Shape(Shape::Partition)),
        }
    }
}

newtype!(
    /// An AWS managed policy ARN: `arn:<partition>:iam::aws:policy/[path/]Name`.
    ManagedPolicyArn
);
impl ManagedPolicyArn {
    /// The partition in the ARN.
    pub fn partition(&self) -> Partition {
        // Parsing guaranteed a known partition.
        self.0
            .split(':')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(Partition::Aws)
    }
    /// `/`-delimited path, `/` for none (`/service-role/`).
    pub fn path(&self) -> String {
        let rest = self.after_policy();
        match rest.rfind('/') {
            Some(i) => format!("/{}/", &rest[..i]),
            None => "/".to_string(),
        }
    }
    /// The policy name (`ReadOnlyAccess`).
    pub fn policy_name(&self) -> &str {
        let rest = self.after_policy();
        rest.rsplit('/').next().unwrap_or(rest)
    }
    fn after_policy(&self) -> &str {
        self.0.split_once(":policy/").map_or("", |(_, r)| r)
    }
    /// Builds the commercial-partition ARN for a policy path and name from the catalogue.
    pub fn arn_for(path: &str, name: &str) -> String {
        format!("arn:aws:iam::aws:policy{path}{name}")
    }
}
impl FromStr for ManagedPolicyArn {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        const SHAPE: Shape = Shape::PolicyArn;
        let mut parts = s.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("iam"), Some(""), Some("aws"), Some(res)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(ParseError::Shape(SHAPE));
        };
        partition
            .parse::<Partition>()
            .map_err(|_| ParseError::Shape(SHAPE))?;
        let Some(path_name) = res.strip_prefix("policy/") else {
            return Err(ParseError::Shape(SHAPE));
        };
        let segs: Vec<&str> = path_name.split('/').collect();
        if segs
            .iter()
            .any(|seg| seg.is_empty() || !seg.chars().all(is_iam_name_char))
        {
            return Err(ParseError::Shape(SHAPE));
        }
        if segs.last().map_or(0, |n| n.len()) > 128 || path_name.len() > 512 + 128 {
            return Err(ParseError::Shape(SHAPE));
        }
        Ok(Self(s.to_string()))
    }
}

newtype!(
    /// An AWS region id such as `eu-west-1` (syntax only; the catalogue knows which exist).
    Region
);
impl Region {
    /// The partition the region belongs to.
    pub fn partition(&self) -> Partition {
        Partition::of_region(&self.0)
    }
}
impl FromStr for Region {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        let parts: Vec<&str> = s.split('-').collect();
        let ok = parts.len() >= 3
            && s.len() <= 32
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
            && parts[0].bytes().all(|b| b.is_ascii_lowercase())
            && parts
                .last()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(ParseError::Shape(Shape::Region));
        }
        Ok(Self(s.to_string()))
    }
}

fn lower_alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

newtype!(
    /// An organisational unit id: `ou-` + 4-32 lowercase letters/digits + `-` + 8-32 more.
    OuId
);
impl FromStr for OuId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        let ok = s
            .strip_prefix("ou-")
            .and_then(|r| r.split_once('-'))
            .is_some_and(|(a, b)| lower_alnum(a, 4, 32) && lower_alnum(b, 8, 32));
        if !ok {
            return Err(ParseError::Shape(Shape::OuId));
        }
        Ok(Self(s.to_string()))
    }
}

newtype!(
    /// An organisation root id: `r-` + 4-32 lowercase letters/digits.
    RootId
);
impl FromStr for RootId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        if !s.strip_prefix("r-").is_some_and(|r| lower_alnum(r, 4, 32)) {
            return Err(ParseError::Shape(Shape::RootId));
        }
        Ok(Self(s.to_string()))
    }
}

/// Characters DoiT's template allows in an external id (its `AllowedPattern`): `A-Za-z0-9+=,.@_-`.
/// IAM itself would also take `:` and `/`, but DoiT's template refuses them.
pub(crate) fn is_external_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// The longest external id DoiT's template (and IAM) accepts.
pub const EXTERNAL_ID_MAX: usize = 1224;

newtype!(
    /// The external id of the trust condition, by DoiT's rule: 1-1,224 characters of
    /// `A-Za-z0-9+=,.@_-` (the `ExternalId` parameter of DoiT's template and the `external_id`
    /// variable of its module).
    ExternalId
);
impl FromStr for ExternalId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        if let Some(c) = s.chars().find(|&c| !is_external_id_char(c)) {
            return Err(ParseError::BadChar(c));
        }
        let len = s.len();
        if len > EXTERNAL_ID_MAX {
            return Err(ParseError::TooLong {
                max: EXTERNAL_ID_MAX,
                len,
            });
        }
        Ok(Self(s.to_string()))
    }
}

newtype!(
    /// An e-mail address (`local@domain.tld`), checked with a small hand-written grammar.
    Email
);
impl FromStr for Email {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        check_trim(s)?;
        const SHAPE: Shape = Shape::Email;
        if s.len() > 254 {
            return Err(ParseError::TooLong {
                max: 254,
                len: s.len(),
            });
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(ParseError::Shape(SHAPE));
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            && labels
                .last()
                .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        if !local_ok || !domain_ok {
            return Err(ParseError::Shape(SHAPE));
        }
        Ok(Self(s.to_string()))
    }
}

/// A collaborator's role on the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollaboratorRole {
    Owner,
    Editor,
    User,
}
impl CollaboratorRole {
    /// The API spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            CollaboratorRole::Owner => "owner",
            CollaboratorRole::Editor => "editor",
            CollaboratorRole::User => "user",
        }
    }
}
impl FromStr for CollaboratorRole {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s {
            "owner" => Ok(Self::Owner),
            "editor" => Ok(Self::Editor),
            "user" => Ok(Self::User),
            "" => Err(ParseError::Empty),
            _ => Err(ParseError::Shape(Shape::CollaboratorRole)),
        }
    }
}
impl fmt::Display for CollaboratorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids() {
        assert_eq!(
            "012345678901".parse::<AccountId>().unwrap().as_str(),
            "012345678901"
        );
        for bad in [
            "",
            "12345678901",
            "1234567890123",
            "12345678901a",
            "١٢٣٤٥٦٧٨٩٠١٢",
        ] {
            assert!(bad.parse::<AccountId>().is_err(), "{bad}");
        }
        assert_eq!(
            "12345678901".parse::<AccountId>().unwrap_err().to_string(),
            "must be 12 digits"
        );
        assert_eq!(
            " 123456789012".parse::<AccountId>().unwrap_err(),
            ParseError::Whitespace
        );
    }

    #[test]
    fn role_names_boundaries() {
        assert!("a".repeat(64).parse::<RoleName>().is_ok());
        assert_eq!(
            "a".repeat(65).parse::<RoleName>().unwrap_err().to_string(),
            "must be at most 64 characters (is 65)"
        );
        assert!("Doit+=,.@_-Role9".parse::<RoleName>().is_ok());
        assert!("a b"
            .parse::<RoleName>()
            .unwrap_err()
            .to_string()
            .contains("spaces"));
        assert!("a/b".parse::<RoleName>().is_err());
        assert!("é".parse::<RoleName>().is_err());
        assert_eq!("".parse::<RoleName>().unwrap_err(), ParseError::Empty);
    }

    #[test]
    fn actions() {
        for ok in [
            "*",
            "*:*",
            "s3:GetObject",
            "ec2:Describe*",
            "iam:*AccessKey*",
            "s3:Get?bject",
            "execute-api:Invoke",
        ] {
            assert!(ok.parse::<IamAction>().is_ok(), "{ok}");
        }
        for bad in [
            "s3",
            "s3:",
            ":Get",
            "s3:Get Object",
            "s3:Get:Object",
            "*:Get",
            "-s3:Get",
            "s3 :Get",
        ] {
            assert!(bad.parse::<IamAction>().is_err(), "{bad}");
        }
        let a: IamAction = "iam:PassRole".parse().unwrap();
        assert!(a.is_broad());
        assert_eq!(a.service(), "iam");
        assert!(!"s3:GetObject".parse::<IamAction>().unwrap().is_broad());
        assert!("*".parse::<IamAction>().unwrap().is_broad());
        assert!("IAM:*".parse::<IamAction>().unwrap().is_broad());
    }

    #[test]
    fn managed_policy_arns() {
        let a: ManagedPolicyArn = "arn:aws:iam::aws:policy/service-role/AWSConfigRole"
            .parse()
            .unwrap();
        assert_eq!(a.path(), "/service-role/");
        assert_eq!(a.policy_name(), "AWSConfigRole");
        assert_eq!(a.partition(), Partition::Aws);
        let b: ManagedPolicyArn = "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"
            .parse()
            .unwrap();
        assert_eq!(b.path(), "/");
        assert_eq!(b.partition(), Partition::AwsUsGov);
        for bad in [
            "ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/Mine",
            "arn:aws:iam::aws:policy/",
            "arn:aws:iam::aws:policy//X",
            "arn:aws:iam::aws:role/X",
            "arn:foo:iam::aws:policy/X",
            "arn:aws:s3::aws:policy/X",
        ] {
            assert!(bad.parse::<ManagedPolicyArn>().is_err(), "{bad}");
        }
    }

    #[test]
    fn regions_ous_roots() {
        assert!("eu-west-1".parse::<Region>().is_ok());
        assert!("us-gov-west-1".parse::<Region>().is_ok());
        assert_eq!(
            "cn-north-1".parse::<Region>().unwrap().partition(),
            Partition::AwsCn
        );
        for bad in ["eu-west", "EU-WEST-1", "eu--1", "euwest1", "1u-west-1"] {
            assert!(bad.parse::<Region>().is_err(), "{bad}");
        }
        assert!("ou-ab12-abcdefgh".parse::<OuId>().is_ok());
        for bad in [
            "ou-ab1-abcdefgh",
            "ou-ab12-abcdefg",
            "ou-AB12-abcdefgh",
            "ab12-abcdefgh",
            "ou-ab12",
        ] {
            assert!(bad.parse::<OuId>().is_err(), "{bad}");
        }
        assert!("r-ab12".parse::<RootId>().is_ok());
        assert!("r-ab1".parse::<RootId>().is_err());
        assert!("r-".parse::<RootId>().is_err());
        assert!(format!("r-{}", "a".repeat(33)).parse::<RootId>().is_err());
    }

    #[test]
    fn external_ids_follow_doits_rule() {
        assert!("a".parse::<ExternalId>().is_ok());
        assert!("ab".parse::<ExternalId>().is_ok());
        assert_eq!("".parse::<ExternalId>().unwrap_err(), ParseError::Empty);
        assert!("a".repeat(1224).parse::<ExternalId>().is_ok());
        assert_eq!(
            "a".repeat(1225).parse::<ExternalId>().unwrap_err(),
            ParseError::TooLong {
                max: 1224,
                len: 1225
            }
        );
        assert!("Tenant+=,.@_-abc9".parse::<ExternalId>().is_ok());
        // IAM would take these, DoiT's template does not.
        for bad in ["tenant:abc", "abc/def", "a b", "é", "a\nb", "a$b"] {
            assert!(bad.parse::<ExternalId>().is_err(), "{bad}");
        }
        assert_eq!(
            "tenant:abc".parse::<ExternalId>().unwrap_err().to_string(),
            "must not contain \":\" (only letters, digits and + = , . @ _ - are allowed)"
        );
    }

    #[test]
    fn emails_and_roles() {
        for ok in ["a@example.com", "first.last+tag@sub.example.co.uk"] {
            assert!(ok.parse::<Email>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@example.com",
            "a@.com",
            "a@example.c",
            "a b@example.com",
            "a..b@example.com",
            "a@-x.com",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
        assert_eq!(
            "editor".parse::<CollaboratorRole>().unwrap(),
            CollaboratorRole::Editor
        );
        assert!("Owner".parse::<CollaboratorRole>().is_err());
    }

    #[test]
    fn newtypes_serde_checks() {
        assert!(serde_json::from_str::<AccountId>("\"123\"").is_err());
        let a: AccountId = serde_json::from_str("\"000000000001\"").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"000000000001\"");
    }
}

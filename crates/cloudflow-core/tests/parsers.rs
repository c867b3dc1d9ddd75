//! The hand-written parsers of the newtypes under arbitrary input: they never
//! panic, and whatever they accept prints back to exactly the text parsed (so
//! it round-trips through FromStr, Display and serde unchanged).
//! `CLOUDFLOW_PROPTEST_CASES=100000 cargo test -p cloudflow-core --test parsers` is the extended run.

use std::fmt::Display;
use std::str::FromStr;

use cloudflow_core::{
    AccountId, CollaboratorRole, Email, ExternalId, IamAction, ManagedPolicyArn, OuId, Partition,
    Region, RoleName, RootId,
};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("CLOUDFLOW_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn round_trips<T>(input: &str) -> Result<(), TestCaseError>
where
    T: FromStr + Display + PartialEq + std::fmt::Debug,
{
    if let Ok(v) = input.parse::<T>() {
        let printed = v.to_string();
        let again = printed.parse::<T>().ok();
        prop_assert_eq!(again.as_ref(), Some(&v), "{:?} -> {:?}", input, printed);
    }
    Ok(())
}

fn newtype_round_trips<T>(input: &str) -> Result<(), TestCaseError>
where
    T: FromStr
        + Display
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    round_trips::<T>(input)?;
    if let Ok(v) = input.parse::<T>() {
        // Newtypes keep the text as typed, and serde goes through the same parser.
        prop_assert_eq!(v.to_string(), input);
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
    }
    Ok(())
}

/// Strings near the grammars (so that many are accepted) and anything at all.
fn near() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{10,14}",
        "[A-Za-z0-9+=,.@_ -]{0,70}",
        "[a-z0-9-]{1,12}:[A-Za-z0-9*?]{0,20}",
        "arn:aws(-us-gov|-cn)?:iam::aws:policy/([a-z-]{1,12}/)?[A-Za-z0-9+=,.@_-]{0,40}",
        "(us|eu|ap|cn|us-gov)-[a-z]{2,10}-[0-9]{1,2}",
        "ou-[a-z0-9]{2,34}-[a-z0-9]{6,34}",
        "r-[a-z0-9]{2,34}",
        "[A-Za-z0-9+=,.@:/_-]{0,60}",
        "[a-z0-9._%+-]{0,20}@[a-z0-9.-]{0,20}",
        "(owner|editor|user|Owner|admin|aws|aws-cn|aws-us-gov)",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_and_accepted_input_round_trips(s in near()) {
        newtype_round_trips::<AccountId>(&s)?;
        newtype_round_trips::<RoleName>(&s)?;
        newtype_round_trips::<IamAction>(&s)?;
        newtype_round_trips::<ManagedPolicyArn>(&s)?;
        newtype_round_trips::<Region>(&s)?;
        newtype_round_trips::<OuId>(&s)?;
        newtype_round_trips::<RootId>(&s)?;
        newtype_round_trips::<ExternalId>(&s)?;
        newtype_round_trips::<Email>(&s)?;
        round_trips::<Partition>(&s)?;
        round_trips::<CollaboratorRole>(&s)?;
    }
}

#[test]
fn the_grammars_accept_what_aws_documents() {
    assert!("012345678901".parse::<AccountId>().is_ok());
    assert!("ec2:Describe*".parse::<IamAction>().is_ok());
    assert!("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
        .parse::<ManagedPolicyArn>()
        .is_ok());
    assert!("ou-ab12-11111111".parse::<OuId>().is_ok());
    assert!("r-ab12".parse::<RootId>().is_ok());
}

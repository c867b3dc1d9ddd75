//! Creating a connection exactly once, whatever the server supports (shared/design/doit-api.md).
//!
//! - No dry run is asked for: a server without them (the released document) would create the
//!   connection on a `?dryRun=true` POST. The server's checks come with the create itself,
//!   which makes a draft (`crate::sync`); a refusal creates nothing.
//! - The `Idempotency-Key` is sent always; a server without them creates again on a repeated
//!   POST, so after an ambiguous failure (the network dropped, a 5xx) the connections are
//!   looked up by name before the next POST, and one that has appeared is adopted.
//! - Which connections of that name existed before the first POST is remembered (with the
//!   draft, across reloads), so that one of them is never taken for the new one.

use std::time::Duration;

use cloudflow_core::CreateConnectionRequest;

use crate::api::{Api, ApiError, Connection, Versioned};
use crate::retry::{retry_delay, with_retries};

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The ids of the connections named like `request` among `list`: those existed before the
/// create, and are never adopted as its result.
pub fn known_ids(list: &[Connection], request: &CreateConnectionRequest) -> Vec<String> {
    list.iter()
        .filter(|c| same_name(&c.name, &request.name))
        .filter_map(|c| c.id().map(str::to_owned))
        .collect()
}

/// A connection that this create made although its answer was lost: the request's name and
/// role name, and not one that existed before (`known`).
pub fn adoptable<'a>(
    list: &'a [Connection],
    request: &CreateConnectionRequest,
    known: &[String],
) -> Option<&'a Connection> {
    let role = request
        .aws_config
        .as_ref()
        .map_or("", |a| a.role_name.as_str());
    list.iter().find(|c| {
        same_name(&c.name, &request.name)
            && c.role_name() == role
            && c.id().is_some_and(|id| !known.iter().any(|k| k == id))
    })
}

/// What to create, and what is known about earlier tries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan<'a> {
    pub request: &'a CreateConnectionRequest,
    /// The Idempotency-Key of the create: the same for every retry of the same content.
    pub key: &'a str,
    /// Ids of the connections of this name that existed before the first try.
    pub known: &'a [String],
    /// An earlier try may have created it: look before the first POST.
    pub look_first: bool,
}

/// Creates the plan's request once, retrying with back-off; after an ambiguous failure, and
/// first of all when `look_first`, looks for the connection before posting again.
/// `on_retry(attempt, wait, error)` keeps the page informed.
pub async fn create_once(
    api: &Api,
    plan: &Plan<'_>,
    on_retry: impl Fn(u32, Duration, &ApiError),
) -> Result<Versioned, ApiError> {
    let Plan {
        request,
        key,
        known,
        look_first,
    } = *plan;
    let look = || async {
        let list = with_retries(|| api.connections(), &on_retry).await?;
        Ok::<_, ApiError>(adoptable(&list, request, known).map(|c| Versioned {
            etag: c.etag.clone(),
            connection: c.clone(),
        }))
    };
    if look_first {
        if let Some(found) = look().await? {
            return Ok(found);
        }
    }
    let mut attempt = 1;
    loop {
        match api.create_connection(request, key).await {
            Ok(created) => return Ok(created),
            Err(error) => {
                if error.is_ambiguous() {
                    // The POST may have been carried out: never post again before looking.
                    // A lookup that fails for good ends the create with its error.
                    if let Some(found) = look().await? {
                        return Ok(found);
                    }
                }
                match retry_delay(attempt, &error) {
                    Some(wait) => {
                        on_retry(attempt, wait, &error);
                        gloo_timers::future::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(error),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudflow_core::AwsConfig;

    fn connection(id: &str, name: &str, role: &str) -> Connection {
        serde_json::from_value(serde_json::json!({
            "connectionId": id, "name": name, "awsConfig": {"roleName": role}
        }))
        .unwrap()
    }

    fn request(name: &str, role: &str) -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: name.into(),
            aws_config: Some(AwsConfig {
                role_name: role.into(),
                ..AwsConfig::default()
            }),
            ..CreateConnectionRequest::default()
        }
    }

    #[test]
    fn only_a_new_connection_of_the_same_name_and_role_is_adopted() {
        let before = [
            connection("old", "Prod", "R"),
            connection("x", "Other", "R"),
        ];
        let req = request(" prod ", "R");
        let known = known_ids(&before, &req);
        assert_eq!(known, ["old"]);
        assert_eq!(adoptable(&before, &req, &known), None, "it existed before");
        let after = [
            connection("old", "Prod", "R"),
            connection("other-role", "Prod", "Q"),
            connection("new", "PROD", "R"),
        ];
        assert_eq!(
            adoptable(&after, &req, &known).and_then(Connection::id),
            Some("new")
        );
        assert_eq!(adoptable(&after, &request("Staging", "R"), &known), None);
    }
}

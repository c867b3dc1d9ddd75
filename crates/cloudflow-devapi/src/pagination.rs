//! Cursor pagination: `maxResults` and tamper-evident `pageToken`s.
//!
//! A token is `base64url(JSON cursor) "." base64url(HMAC-SHA256(secret, JSON cursor))`. The
//! secret lives in the database, so tokens stay valid across restarts; any change to a token
//! (or a token of another list, tenant or server database) is refused with
//! `400 pagination_token_invalid`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::problem::{ApiError, Detail};

/// Where a page ends: the list it belongs to, its tenant and the last row's position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Which list ("connections", "assets", "users").
    pub list: String,
    pub tenant: String,
    /// The `seq` of the last row served.
    pub seq: i64,
}

/// Signs and checks page tokens.
#[derive(Clone)]
pub struct Pager {
    secret: Vec<u8>,
}

type HmacSha256 = Hmac<Sha256>;

impl Pager {
    pub fn new(secret: Vec<u8>) -> Pager {
        Pager { secret }
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        // HMAC takes keys of any length; new_from_slice cannot fail for it.
        let mut mac = match HmacSha256::new_from_slice(&self.secret) {
            Ok(m) => m,
            Err(_) => unreachable_hmac(),
        };
        mac.update(payload);
        mac
    }

    pub fn encode(&self, cursor: &Cursor) -> String {
        let payload = serde_json::to_vec(cursor).unwrap_or_default();
        let tag = self.mac(&payload).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The cursor of a token issued for `list` and `tenant`, or a 400 problem.
    pub fn decode(&self, token: &str, list: &str, tenant: &str) -> Result<Cursor, ApiError> {
        let invalid = || {
            ApiError::bad_request(
                "pagination_token_invalid",
                "pageToken is not a token this list handed out; start again without pageToken",
            )
            .with_details(vec![Detail::new("pageToken", "not a valid page token")])
        };
        let (payload, tag) = token.split_once('.').ok_or_else(invalid)?;
        let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| invalid())?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
        self.mac(&payload)
            .verify_slice(&tag)
            .map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&payload).map_err(|_| invalid())?;
        if cursor.list != list || cursor.tenant != tenant {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

#[cold]
fn unreachable_hmac() -> ! {
    panic!("HMAC-SHA256 accepts keys of every length")
}

/// Reads `maxResults`: absent -> `default`; otherwise an integer in `1..=max`, else 400.
pub fn max_results(raw: Option<&str>, default: i64, max: i64) -> Result<i64, ApiError> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("maxResults must be a whole number from 1 to {max}, got {raw:?}"),
        )
        .with_details(vec![Detail::new(
            "maxResults",
            format!("must be from 1 to {max}"),
        )])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor {
            list: "connections".into(),
            tenant: "t".into(),
            seq: 42,
        }
    }

    #[test]
    fn round_trips_and_rejects_every_change() {
        let pager = Pager::new(b"secret".to_vec());
        let token = pager.encode(&cursor());
        assert_eq!(
            pager.decode(&token, "connections", "t").expect("valid"),
            cursor()
        );
        // Another list, tenant or key.
        assert!(pager.decode(&token, "assets", "t").is_err());
        assert!(pager.decode(&token, "connections", "u").is_err());
        assert!(Pager::new(b"other".to_vec())
            .decode(&token, "connections", "t")
            .is_err());
        // A forged cursor with the old tag.
        let (_, tag) = token.split_once('.').expect("dot");
        let forged = format!(
            "{}.{tag}",
            URL_SAFE_NO_PAD.encode(br#"{"list":"connections","tenant":"t","seq":1}"#)
        );
        let e = pager
            .decode(&forged, "connections", "t")
            .expect_err("forged");
        assert_eq!(e.code, "pagination_token_invalid");
        for junk in ["", ".", "abc", "a.b", "!!!.???"] {
            assert!(pager.decode(junk, "connections", "t").is_err(), "{junk}");
        }
    }

    #[test]
    fn max_results_bounds() {
        assert_eq!(max_results(None, 50, 100).expect("default"), 50);
        assert_eq!(max_results(Some("100"), 50, 100).expect("max"), 100);
        for bad in ["0", "101", "-1", "ten", ""] {
            assert_eq!(
                max_results(Some(bad), 50, 100).expect_err(bad).code,
                "invalid_query_parameter"
            );
        }
    }
}

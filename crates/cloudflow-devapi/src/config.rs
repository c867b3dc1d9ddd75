//! Command-line configuration of the local API server.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Which data set a new database is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeedKind {
    /// One tenant, 12 named AWS accounts, 9 users, a few connections.
    Demo,
    /// The demo data plus generated accounts and users: 10,000 accounts and 2,000 users in all.
    Large,
}

impl SeedKind {
    /// The name stored in the database and shown in logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            SeedKind::Demo => "demo",
            SeedKind::Large => "large",
        }
    }
}

/// Which of DoiT's two published API documents the server answers as
/// (`shared/design/doit-api.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Dialect {
    /// The released document (August 2026): `connectionId`, `createdAt`, `{"error": ...}`
    /// bodies, no dry run, no Idempotency-Key, no ETag; assets' `createTime` in milliseconds.
    Released,
    /// The pre-release document ("CloudFlow External API v1", June 2026): problem+json, dry
    /// runs, idempotency keys, ETags and `If-Match`.
    #[default]
    Preview,
}

impl Dialect {
    pub const fn as_str(self) -> &'static str {
        match self {
            Dialect::Released => "released",
            Dialect::Preview => "preview",
        }
    }
}

/// `cloudflow-devapi`: a local stand-in for DoiT's REST API (CloudFlow connections).
#[derive(Debug, Clone, Parser)]
#[command(name = "cloudflow-devapi", version, about)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the chosen address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// SQLite database file (created when missing; state survives restarts).
    #[arg(long)]
    pub db: PathBuf,

    /// Directory of the built app to serve at `/` (index.html fallback) together with /config.json.
    #[arg(long)]
    pub dist: Option<PathBuf>,

    /// Data set written into a database that has no tenant yet (ignored for an existing database).
    #[arg(long, value_enum, default_value = "demo")]
    pub seed: SeedKind,

    /// Seconds after a connection's first enable at which its accounts become active (0 = on the
    /// next read); with --simulated-aws, seconds after a role's stack was created at which
    /// CloudFlow can assume it (IAM propagation).
    #[arg(long, default_value_t = 20.0)]
    pub activation_delay: f64,

    /// Share of API requests answered with 500/502/503 before anything happens (0.0-1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,

    /// Share of create, change and delete requests that are carried out but whose answer is lost
    /// on the way back (replaced by a 502): the ambiguous failure a client must survive.
    #[arg(long, default_value_t = 0.0)]
    pub lost_reply_rate: f64,

    /// Share of API requests answered with 429 and `Retry-After` before anything happens (0.0-1.0).
    #[arg(long, default_value_t = 0.0)]
    pub rate_limit_rate: f64,

    /// Seconds announced in `Retry-After` on injected 429 responses.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u32,

    /// Milliseconds every API request waits before it is carried out.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,

    /// Directory with catalogue files (regions.json, iam-actions.json, managed-policies.json)
    /// to check regions, actions and policies against, instead of the embedded public/catalog.
    #[arg(long)]
    pub catalog_dir: Option<PathBuf>,

    /// Which published API document to answer as: `released` or `preview`.
    #[arg(long, value_enum, default_value = "preview")]
    pub dialect: Dialect,

    /// Do not log one line per request to stderr.
    #[arg(long)]
    pub quiet: bool,

    /// Token that /config.json hands to the app.
    #[arg(long, default_value = "dev-owner-token")]
    pub app_token: String,

    /// Who may embed the app in a frame: the CSP `frame-ancestors` sources, e.g.
    /// `'self' https://console.doit.com` (the DoiT console).
    #[arg(long, default_value = "'self'")]
    pub frame_ancestors: String,

    /// Serve a simulated AWS (a stand-in of the CloudFormation console's quick-create page and
    /// a JSON API under /simulated-aws) and take accounts' statuses from what is deployed
    /// there instead of the timer.
    #[arg(long)]
    pub simulated_aws: bool,
}

/// A configuration that cannot work.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("--fault-rate must be between 0 and 1, got {0}")]
    FaultRate(f64),
    #[error("--lost-reply-rate must be between 0 and 1, got {0}")]
    LostReplyRate(f64),
    #[error("--rate-limit-rate must be between 0 and 1, got {0}")]
    RateLimitRate(f64),
    #[error("--fault-rate plus --rate-limit-rate must not exceed 1, got {0}")]
    RatesTogether(f64),
    #[error("--activation-delay must be a number of seconds from 0 to 31536000, got {0}")]
    ActivationDelay(f64),
    #[error("--app-token must not be empty")]
    AppToken,
}

impl Config {
    /// A configuration for tests and embedding: the given database, no dist, the demo seed,
    /// activation on the next read, no faults.
    pub fn new(db: impl Into<PathBuf>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: db.into(),
            dist: None,
            seed: SeedKind::Demo,
            activation_delay: 0.0,
            fault_rate: 0.0,
            lost_reply_rate: 0.0,
            rate_limit_rate: 0.0,
            retry_after: 1,
            latency_ms: 0,
            catalog_dir: None,
            dialect: Dialect::Preview,
            quiet: true,
            app_token: "dev-owner-token".to_owned(),
            frame_ancestors: "'self'".to_owned(),
            simulated_aws: false,
        }
    }

    /// Rejects values that make no sense, with a message naming the flag.
    pub fn check(&self) -> Result<(), ConfigError> {
        let rate_ok = |r: f64| r.is_finite() && (0.0..=1.0).contains(&r);
        if !rate_ok(self.fault_rate) {
            return Err(ConfigError::FaultRate(self.fault_rate));
        }
        if !rate_ok(self.lost_reply_rate) {
            return Err(ConfigError::LostReplyRate(self.lost_reply_rate));
        }
        if !rate_ok(self.rate_limit_rate) {
            return Err(ConfigError::RateLimitRate(self.rate_limit_rate));
        }
        if self.fault_rate + self.rate_limit_rate > 1.0 {
            return Err(ConfigError::RatesTogether(
                self.fault_rate + self.rate_limit_rate,
            ));
        }
        if !(self.activation_delay.is_finite()
            && (0.0..=31_536_000.0).contains(&self.activation_delay))
        {
            return Err(ConfigError::ActivationDelay(self.activation_delay));
        }
        if self.app_token.trim().is_empty() {
            return Err(ConfigError::AppToken);
        }
        Ok(())
    }

    /// The activation delay in whole milliseconds.
    pub fn activation_delay_ms(&self) -> i64 {
        // check() bounds the value to a year, so the cast cannot overflow.
        (self.activation_delay * 1000.0).round() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_command_line() {
        let c = Config::try_parse_from([
            "cloudflow-devapi",
            "--listen",
            "127.0.0.1:9000",
            "--db",
            "x.db",
            "--dist",
            "dist",
            "--seed",
            "large",
            "--activation-delay",
            "2",
            "--fault-rate",
            "0.3",
            "--rate-limit-rate",
            "0.1",
            "--latency-ms",
            "400",
            "--app-token",
            "dev-viewer-token",
            "--dialect",
            "released",
            "--lost-reply-rate",
            "0.2",
            "--simulated-aws",
        ])
        .expect("parses");
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.seed, SeedKind::Large);
        assert_eq!(c.activation_delay_ms(), 2000);
        assert_eq!(c.latency_ms, 400);
        assert_eq!(c.app_token, "dev-viewer-token");
        assert_eq!(c.dialect, Dialect::Released);
        assert_eq!(c.lost_reply_rate, 0.2);
        assert!(c.simulated_aws);
        assert_eq!(c.check(), Ok(()));
    }

    #[test]
    fn defaults_match_the_brief() {
        let c = Config::try_parse_from(["cloudflow-devapi", "--db", "x.db"]).expect("parses");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.activation_delay_ms(), 20_000);
        assert_eq!(c.seed, SeedKind::Demo);
        assert_eq!(c.app_token, "dev-owner-token");
        assert_eq!(c.dialect, Dialect::Preview);
        assert!(!c.simulated_aws);
    }

    #[test]
    fn rejects_bad_rates() {
        let mut c = Config::new("x.db");
        c.fault_rate = 1.5;
        assert_eq!(c.check(), Err(ConfigError::FaultRate(1.5)));
        c.fault_rate = 0.7;
        c.rate_limit_rate = 0.5;
        assert!(matches!(c.check(), Err(ConfigError::RatesTogether(_))));
        c.rate_limit_rate = 0.0;
        c.activation_delay = -1.0;
        assert_eq!(c.check(), Err(ConfigError::ActivationDelay(-1.0)));
    }
}

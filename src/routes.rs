//! The pages of the app, one module each, named after their routes.

pub mod connections;
pub mod details;
pub mod resume;
pub mod wizard;

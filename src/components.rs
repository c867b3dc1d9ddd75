//! Reusable pieces of the wizard, each named after what the help page calls it.

pub mod step_nav;

pub use step_nav::StepNav;

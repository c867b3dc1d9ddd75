//! The Create (and Edit) AWS connection wizard, by what a newcomer looks for:
//! - [`state`]: the wizard's state, one store ([`state::WizardStore`]): the draft as a keyed
//!   store ([`draft`]), and the request, the report and what each field shows, derived as memos;
//! - [`fields`]: where a request field's messages show and which element takes focus for it (the
//!   core's `FieldPath` to a [`fields::Control`]);
//! - [`steps`]: the three steps (Setup, Permissions, Access), one module each;
//! - [`frame`]: the frame around a step (step nav, Previous / Next / Done, the live preview);
//! - [`submit`]: what Next, Done, Save and Cancel send, as one action; [`sync`] and [`create`]:
//!   keeping the draft saved on the server, and creating it exactly once;
//! - [`edit`]: what an edit adds (What changes, how to apply it, Save and its merge);
//! - [`catalogs`]: the AWS catalogues, fetched when a step needs them.

pub mod catalogs;
pub mod create;
pub mod draft;
pub mod edit;
pub mod fields;
pub mod frame;
pub mod state;
pub mod steps;
pub mod submit;
pub mod sync;

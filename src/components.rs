//! Reusable pieces of the wizard, each named after what the help page calls it.

pub mod api_error;
pub mod code_block;
pub mod combobox;
pub mod form_field;
pub mod load_notice;
pub mod multi_select;
pub mod remove_button;
pub mod step_nav;
pub mod tabs;

pub use api_error::ApiErrorNotice;
pub use code_block::{CodeBlock, DownloadButton};
pub use combobox::{ComboOption, Combobox};
pub use form_field::{described_by, use_field, FieldContext, FormField};
pub use load_notice::ListLoadNotice;
pub use multi_select::MultiSelect;
pub use remove_button::RemoveButton;
pub use step_nav::StepNav;
pub use tabs::Tabs;

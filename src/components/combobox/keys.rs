//! The combobox's keyboard (APG "list autocomplete"), as a pure function of the
//! key and the list's state; the component applies what it returns.

use super::rows::{Rows, VISIBLE_ROWS};

/// What a key pressed in the combobox's input does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyAction {
    /// Open the list without moving into it (Alt+Down).
    Open,
    /// Open the list and make this row active (`None` when no option matches).
    Move(Option<usize>),
    /// Choose the option on this row (Enter on the active option).
    Choose(usize),
    /// Close the open list (Escape).
    Close,
    /// Close the list and let the key do what it does (Tab moves focus on).
    Leave,
    /// A key the combobox does not handle: the `on_keydown` prop gets it.
    PassOn,
}

impl KeyAction {
    /// Whether the key's default (moving the caret, submitting a form, …) is prevented.
    pub(super) fn prevents_default(self) -> bool {
        !matches!(self, Self::Leave | Self::PassOn)
    }
}

/// What `key` does when the list is `open` (or not), with `active` the active row and
/// `rows` the rows that match the query. `alt`: the Alt key is held.
pub(super) fn key_action(
    key: &str,
    alt: bool,
    open: bool,
    active: Option<usize>,
    rows: &Rows,
) -> KeyAction {
    let page = VISIBLE_ROWS as isize;
    let step = |delta| KeyAction::Move(rows.step(active, delta));
    match key {
        "ArrowDown" if alt => KeyAction::Open,
        "ArrowDown" => step(1),
        "ArrowUp" => step(-1),
        "PageDown" if open => step(page),
        "PageUp" if open => step(-page),
        "Home" if open && active.is_some() => KeyAction::Move(rows.first()),
        "End" if open && active.is_some() => KeyAction::Move(rows.last()),
        // Without an active option, Enter keeps its default (e.g. submitting a form).
        "Enter" => match active {
            Some(row) if open => KeyAction::Choose(row),
            _ => KeyAction::PassOn,
        },
        "Escape" if open => KeyAction::Close,
        "Tab" => KeyAction::Leave,
        _ => KeyAction::PassOn,
    }
}

#[cfg(test)]
mod tests {
    use super::super::options::ComboOption;
    use super::super::rows::tests::{regions, rows_for};
    use super::*;

    fn many(n: usize) -> Rows {
        let options: Vec<_> = (0..n)
            .map(|i| ComboOption::new(i.to_string(), i.to_string(), ""))
            .collect();
        rows_for(&options, "")
    }

    #[test]
    fn arrows_open_the_list_and_move_over_options_only() {
        let rows = rows_for(&regions(), "");
        assert_eq!(
            key_action("ArrowDown", false, false, None, &rows),
            KeyAction::Move(Some(1))
        );
        assert_eq!(
            key_action("ArrowDown", false, true, Some(2), &rows),
            KeyAction::Move(Some(4))
        );
        assert_eq!(
            key_action("ArrowUp", false, false, None, &rows),
            KeyAction::Move(Some(4))
        );
        assert_eq!(
            key_action("ArrowUp", false, true, Some(1), &rows),
            KeyAction::Move(Some(1))
        );
        // Alt+Up is a plain Up.
        assert_eq!(
            key_action("ArrowUp", true, true, Some(4), &rows),
            KeyAction::Move(Some(2))
        );
        let none = rows_for(&regions(), "zz");
        assert_eq!(
            key_action("ArrowDown", false, true, None, &none),
            KeyAction::Move(None)
        );
    }

    #[test]
    fn alt_down_opens_without_moving() {
        let rows = rows_for(&regions(), "");
        assert_eq!(
            key_action("ArrowDown", true, false, None, &rows),
            KeyAction::Open
        );
        assert_eq!(
            key_action("ArrowDown", true, true, Some(1), &rows),
            KeyAction::Open
        );
    }

    #[test]
    fn page_home_and_end_move_only_in_the_open_list() {
        let rows = many(30);
        assert_eq!(
            key_action("PageDown", false, true, None, &rows),
            KeyAction::Move(Some(7))
        );
        assert_eq!(
            key_action("PageDown", false, true, Some(7), &rows),
            KeyAction::Move(Some(15))
        );
        assert_eq!(
            key_action("PageUp", false, true, Some(15), &rows),
            KeyAction::Move(Some(7))
        );
        assert_eq!(
            key_action("PageUp", false, true, Some(3), &rows),
            KeyAction::Move(Some(0))
        );
        assert_eq!(
            key_action("PageDown", false, false, None, &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("PageUp", false, false, Some(3), &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("Home", false, true, Some(9), &rows),
            KeyAction::Move(Some(0))
        );
        assert_eq!(
            key_action("End", false, true, Some(9), &rows),
            KeyAction::Move(Some(29))
        );
        // Without an active option Home and End move the caret in the input.
        assert_eq!(
            key_action("Home", false, true, None, &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("End", false, false, Some(9), &rows),
            KeyAction::PassOn
        );
    }

    #[test]
    fn enter_chooses_only_the_active_option_of_the_open_list() {
        let rows = rows_for(&regions(), "");
        assert_eq!(
            key_action("Enter", false, true, Some(2), &rows),
            KeyAction::Choose(2)
        );
        assert_eq!(
            key_action("Enter", false, true, None, &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("Enter", false, false, Some(2), &rows),
            KeyAction::PassOn
        );
    }

    #[test]
    fn escape_closes_tab_leaves_and_other_keys_pass_on() {
        let rows = rows_for(&regions(), "");
        assert_eq!(
            key_action("Escape", false, true, None, &rows),
            KeyAction::Close
        );
        assert_eq!(
            key_action("Escape", false, false, None, &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("Tab", false, true, Some(1), &rows),
            KeyAction::Leave
        );
        assert_eq!(
            key_action("Tab", false, false, None, &rows),
            KeyAction::Leave
        );
        assert_eq!(
            key_action("Backspace", false, true, Some(1), &rows),
            KeyAction::PassOn
        );
        assert_eq!(
            key_action("a", false, false, None, &rows),
            KeyAction::PassOn
        );
    }

    #[test]
    fn only_handled_keys_prevent_the_default() {
        assert!(KeyAction::Open.prevents_default());
        assert!(KeyAction::Move(None).prevents_default());
        assert!(KeyAction::Choose(1).prevents_default());
        assert!(KeyAction::Close.prevents_default());
        assert!(!KeyAction::Leave.prevents_default());
        assert!(!KeyAction::PassOn.prevents_default());
    }
}

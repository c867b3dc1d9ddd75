//! The combobox's reactive state, and what a key, a click, an edit or a scroll does to it.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::keys::{key_action, KeyAction};
use super::options::ComboOption;
use super::rows::{scroll_to_show, window, Row, Rows};

/// What choosing an option needs.
#[derive(Clone, Copy)]
pub(super) struct Choice {
    /// Values that cannot be chosen.
    pub(super) disabled_values: Signal<Vec<String>>,
    /// The list stays open after a choice (multi-select).
    pub(super) keep_open: bool,
    /// Told the chosen option.
    pub(super) on_select: Callback<ComboOption>,
}

/// The state one combobox shares with its parts (a handle: copying it copies no state).
#[derive(Clone, Copy)]
pub(super) struct Combo {
    /// The input's id; options are `{id}-opt-{index}`.
    id: StoredValue<String>,
    open: RwSignal<bool>,
    active: RwSignal<Option<usize>>,
    scroll_top: RwSignal<usize>,
    /// The scrolling popup, scrolled to show the active row.
    pub(super) popup: NodeRef<html::Div>,
    /// The filtered rows live in a reused buffer; `revision` is the number that readers
    /// track.
    rows: StoredValue<Rows>,
    revision: Memo<u64>,
    /// The rows in the DOM: they change only when the scroll crosses a row boundary.
    visible: Memo<(usize, usize)>,
    options: Signal<Arc<Vec<ComboOption>>>,
    choice: Choice,
}

impl Combo {
    /// The state of a closed combobox whose input holds `value`.
    pub(super) fn new(
        id: String,
        value: Signal<String>,
        options: Signal<Arc<Vec<ComboOption>>>,
        choice: Choice,
    ) -> Self {
        let rows = StoredValue::new(Rows::default());
        let revision = Memo::new(move |prev: Option<&u64>| {
            let query: String =
                value.with(|v| v.trim().chars().flat_map(char::to_lowercase).collect());
            options.with(|o| rows.update_value(|r| r.fill(o, &query)));
            prev.map_or(0, |p| p.wrapping_add(1))
        });
        let scroll_top = RwSignal::new(0_usize);
        let visible = Memo::new(move |_| {
            let _ = revision.get();
            let top = scroll_top.get();
            rows.with_value(|r| window(top, r.len()))
        });
        Self {
            id: StoredValue::new(id),
            open: RwSignal::new(false),
            active: RwSignal::new(None),
            scroll_top,
            popup: NodeRef::new(),
            rows,
            revision,
            visible,
            options,
            choice,
        }
    }

    /// Whether the list is open (tracked).
    pub(super) fn is_open(self) -> bool {
        self.open.get()
    }

    /// The active row (tracked).
    pub(super) fn active(self) -> Option<usize> {
        self.active.get()
    }

    /// The rows in the DOM, `start..end` (tracked).
    pub(super) fn visible(self) -> (usize, usize) {
        self.visible.get()
    }

    /// Reads the rows matching the query (tracked).
    pub(super) fn with_rows<R>(self, read: impl FnOnce(&Rows) -> R) -> R {
        let _ = self.revision.get();
        self.rows.with_value(read)
    }

    /// Reads the rows matching the query, in an event handler (untracked).
    fn with_rows_untracked<R>(self, read: impl FnOnce(&Rows) -> R) -> R {
        let _ = self.revision.get_untracked();
        self.rows.with_value(read)
    }

    /// The number of matching options (tracked).
    pub(super) fn matches(self) -> usize {
        self.with_rows(Rows::matches)
    }

    /// Renders each row in the scroll window: `render(row, what it is, its option (a
    /// header's is its group's first), its aria-posinset)` (tracked).
    pub(super) fn map_window<V>(
        self,
        mut render: impl FnMut(usize, Row, &ComboOption, usize) -> V,
    ) -> Vec<V> {
        let (start, end) = self.visible();
        self.with_rows(|r| {
            self.options.with_untracked(|o| {
                (start..end)
                    .filter_map(|row| {
                        let entry = r.get(row)?;
                        let (Row::Header(i) | Row::Option(i)) = entry;
                        Some(render(row, entry, o.get(i)?, r.posinset(row)))
                    })
                    .collect()
            })
        })
    }

    /// The id of the option at `index` in the options.
    pub(super) fn option_id(self, index: usize) -> String {
        format!("{}-opt-{index}", self.id.read_value())
    }

    /// The input's `aria-activedescendant`: the active option while it is rendered.
    pub(super) fn activedescendant(self) -> Option<String> {
        if !self.open.get() {
            return None;
        }
        let _ = self.revision.get();
        let row = self.active.get()?;
        let (start, end) = self.visible.get();
        if !(start..end).contains(&row) {
            return None;
        }
        match self.rows.with_value(|r| r.get(row)) {
            Some(Row::Option(i)) => Some(self.option_id(i)),
            _ => None,
        }
    }

    /// Whether the popup shows. Without a match it stays closed ("No matches" is said by
    /// the count): an empty popup would only cover the field's own messages, such as a
    /// did-you-mean hint.
    pub(super) fn shown(self) -> bool {
        self.open.get() && self.matches() > 0
    }

    /// Opens the list (a click in the input).
    pub(super) fn open_list(self) {
        self.open.set(true);
    }

    /// Closes the list, with no active option.
    pub(super) fn close(self) {
        self.open.set(false);
        self.active.set(None);
    }

    /// The popup was scrolled to `top` px.
    pub(super) fn scrolled(self, top: usize) {
        self.scroll_top.set(top);
    }

    /// The text was edited: the list opens at its top, with no active option.
    pub(super) fn edited(self) {
        self.open.set(true);
        self.active.set(None);
        self.set_scroll(0);
    }

    fn set_scroll(self, top: usize) {
        if let Some(el) = self.popup.get_untracked() {
            el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
        }
        self.scroll_top.set(top);
    }

    fn move_active(self, to: Option<usize>) {
        self.active.set(to);
        if let Some(row) = to {
            self.set_scroll(scroll_to_show(row, self.scroll_top.get_untracked()));
        }
    }

    /// Chooses the option on `row` unless it is disabled.
    pub(super) fn choose(self, row: usize) {
        let Some(Row::Option(index)) = self.with_rows_untracked(|r| r.get(row)) else {
            return;
        };
        let Some(option) = self.options.with_untracked(|o| o.get(index).cloned()) else {
            return;
        };
        let Choice {
            disabled_values,
            keep_open,
            on_select,
        } = self.choice;
        if disabled_values.with_untracked(|d| d.contains(&option.value)) {
            return;
        }
        if !keep_open {
            self.close();
        }
        on_select.run(option);
    }

    /// A key pressed in the input (see [`key_action`]); keys it does not handle go to
    /// `others`.
    pub(super) fn key_down(self, ev: KeyboardEvent, others: Option<Callback<KeyboardEvent>>) {
        if ev.is_composing() {
            return;
        }
        let (open, active) = (self.open.get_untracked(), self.active.get_untracked());
        let action = self
            .with_rows_untracked(|rows| key_action(&ev.key(), ev.alt_key(), open, active, rows));
        if action.prevents_default() {
            ev.prevent_default();
        }
        match action {
            KeyAction::Open => self.open.set(true),
            KeyAction::Move(to) => {
                self.open.set(true);
                self.move_active(to);
            }
            KeyAction::Choose(row) => self.choose(row),
            KeyAction::Close | KeyAction::Leave => self.close(),
            KeyAction::PassOn => {
                if let Some(others) = others {
                    others.run(ev);
                }
            }
        }
    }
}

//! A WAI-ARIA combobox: a text input with a listbox popup (APG "list
//! autocomplete"), virtualised so that 10,000 options stay fast.
//!
//! Filtering is a case-insensitive substring match over value, label and
//! detail. Each option carries its lowercase search text, computed once when it
//! is built and shared by every combobox over the same options; each keystroke
//! filters into a reused row buffer. Only the rows inside the visible window
//! (plus an overscan) are in the DOM.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// One choice in a [`Combobox`] or [`MultiSelect`](super::MultiSelect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComboOption {
    /// What is selected, e.g. the account ID `123456789012`.
    pub value: String,
    /// The main text, e.g. `123456789012`.
    pub label: String,
    /// Secondary text, e.g. the account name `Payments prod`.
    pub detail: String,
    /// Shown as a header above its options, e.g. `AWS commercial`. Options of
    /// one group are expected to be contiguous.
    pub group: Option<String>,
    /// `value\nlabel\ndetail` in lowercase, computed once by [`ComboOption::new`]
    /// and shared by every combobox holding the same options (100 account rows
    /// over 10,000 accounts keep one copy, not 100).
    search: String,
}

impl ComboOption {
    /// An option without a group.
    pub fn new(
        value: impl Into<String>,
        label: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        let (value, label, detail) = (value.into(), label.into(), detail.into());
        let mut search = String::with_capacity(value.len() + label.len() + detail.len() + 2);
        for (i, part) in [&value, &label, &detail].into_iter().enumerate() {
            if i > 0 {
                search.push('\n');
            }
            search.extend(part.chars().flat_map(char::to_lowercase));
        }
        Self {
            value,
            label,
            detail,
            group: None,
            search,
        }
    }

    /// The same option under `group`.
    pub fn in_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
}

/// Height of one listbox row in px; style/components.css sets the same
/// (`.cf-combobox__row`).
pub const ROW_HEIGHT: usize = 36;
/// Rows visible in the popup without scrolling.
pub const VISIBLE_ROWS: usize = 8;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 4;

const HEADER: u32 = 1 << 31;

/// The lowercase text an option is matched against. Fields are separated by a
/// newline, which a query typed into an input cannot contain.
fn haystack(o: &ComboOption) -> &str {
    &o.search
}

/// How well an option matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    Exact,
    Prefix,
    Contains,
}

/// Whether `needle` occurs in `hay`. `str::contains` sets up a two-way searcher on every
/// call, which over 10,000 short haystacks per keystroke was a measurable part of the
/// picker's work; a plain scan of bytes needs none (and is exact for UTF-8: a valid
/// needle can only match a valid haystack on character boundaries).
fn has_substring(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    match needle.first() {
        None => true,
        Some(&first) => hay
            .windows(needle.len())
            .any(|w| w[0] == first && w == needle),
    }
}

/// The rank of a haystack (`value\nlabel\ndetail`, lowercase) for a lowercase query.
fn rank_of(hay: &str, query: &str) -> Option<Rank> {
    let mut parts = hay.split('\n');
    let (value, label) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if value == query || label == query {
        Some(Rank::Exact)
    } else if value.starts_with(query) || label.starts_with(query) {
        Some(Rank::Prefix)
    } else if has_substring(hay, query) {
        Some(Rank::Contains)
    } else {
        None
    }
}

/// The listbox rows for the current query: option indices, with group
/// headers (flagged with [`HEADER`]) before the first option of each group.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    entries: Vec<u32>,
    /// Reused buckets of the ranked fill (prefix and substring matches).
    prefix: Vec<u32>,
    contains: Vec<u32>,
    header_rows: Vec<usize>,
    matches: usize,
}

/// What every rendered row reads, gathered once per render of the list.
struct RowState {
    active: Option<usize>,
    disabled: Vec<String>,
    selected: Vec<String>,
    note: Option<String>,
    setsize: usize,
}

/// What one row of the listbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    /// A group header; the index is the group's first matching option.
    Header(usize),
    /// An option, by index into the options.
    Option(usize),
}

impl Rows {
    /// Refills the buffer in place (no allocation once it has grown).
    /// `query` must already be lowercase.
    pub(crate) fn fill(&mut self, options: &[ComboOption], query: &str) {
        self.entries.clear();
        self.header_rows.clear();
        self.matches = 0;
        // Ungrouped lists rank what the person most likely means first: an exact
        // value or label, then a prefix of one, then any other match, in one pass
        // into reused buckets. Grouped lists keep their order (groups stay contiguous).
        let grouped = options.first().is_some_and(|o| o.group.is_some());
        if !query.is_empty() && !grouped {
            self.prefix.clear();
            self.contains.clear();
            for (i, option) in options.iter().enumerate() {
                let Some(rank) = rank_of(haystack(option), query) else {
                    continue;
                };
                let Ok(index) = u32::try_from(i) else { break };
                if index >= HEADER {
                    break;
                }
                match rank {
                    Rank::Exact => self.entries.push(index),
                    Rank::Prefix => self.prefix.push(index),
                    Rank::Contains => self.contains.push(index),
                }
            }
            self.entries.extend_from_slice(&self.prefix);
            self.entries.extend_from_slice(&self.contains);
            self.matches = self.entries.len();
            return;
        }
        let mut last_group: Option<&str> = None;
        for (i, option) in options.iter().enumerate() {
            if !query.is_empty() && !has_substring(haystack(option), query) {
                continue;
            }
            let Ok(index) = u32::try_from(i) else { break };
            if index >= HEADER {
                break;
            }
            let group = option.group.as_deref();
            if group.is_some() && group != last_group {
                self.header_rows.push(self.entries.len());
                self.entries.push(HEADER | index);
            }
            last_group = group;
            self.entries.push(index);
            self.matches += 1;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Number of matching options (headers not counted).
    pub(crate) fn matches(&self) -> usize {
        self.matches
    }

    pub(crate) fn get(&self, row: usize) -> Option<Row> {
        self.entries.get(row).map(|&e| {
            if e & HEADER != 0 {
                Row::Header((e & !HEADER) as usize)
            } else {
                Row::Option(e as usize)
            }
        })
    }

    fn option_at(&self, row: usize) -> Option<usize> {
        match self.get(row) {
            Some(Row::Option(i)) => Some(i),
            _ => None,
        }
    }

    /// 1-based position of the option on `row` among the matching options.
    pub(crate) fn posinset(&self, row: usize) -> usize {
        row - self.header_rows.partition_point(|&h| h < row) + 1
    }

    /// The option row nearest to `row`, looking forward first (or backward
    /// first), then the other way.
    fn nearest_option(&self, row: usize, forward: bool) -> Option<usize> {
        let row = row.min(self.len().checked_sub(1)?);
        let is_option = |r: &usize| self.option_at(*r).is_some();
        let ahead = || (row..self.len()).find(is_option);
        let behind = || (0..=row).rev().find(is_option);
        if forward {
            ahead().or_else(behind)
        } else {
            behind().or_else(ahead)
        }
    }

    /// The option row reached by moving `delta` rows from `from` (from before
    /// the first row when `None`), clamped to the list.
    pub(crate) fn step(&self, from: Option<usize>, delta: isize) -> Option<usize> {
        let last = self.len().checked_sub(1)?;
        let target = match from {
            Some(r) => r.saturating_add_signed(delta).min(last),
            None if delta > 0 => delta.unsigned_abs().saturating_sub(1).min(last),
            None => last.saturating_sub(delta.unsigned_abs().saturating_sub(1)),
        };
        self.nearest_option(target, delta > 0)
    }

    pub(crate) fn first(&self) -> Option<usize> {
        self.nearest_option(0, true)
    }

    pub(crate) fn last(&self) -> Option<usize> {
        self.nearest_option(self.len().checked_sub(1)?, false)
    }
}

/// The rows to render for a scroll offset: `start..end`, at most
/// `VISIBLE_ROWS + 1 + 2 * OVERSCAN` of them.
pub(crate) fn window(scroll_top: usize, len: usize) -> (usize, usize) {
    let first_visible = scroll_top / ROW_HEIGHT;
    let start = first_visible.saturating_sub(OVERSCAN).min(len);
    let end = (first_visible + VISIBLE_ROWS + 1 + OVERSCAN).min(len);
    (start, end.max(start))
}

/// The scroll offset that shows `row`, keeping `scroll_top` when it already does.
fn scroll_to_show(row: usize, scroll_top: usize) -> usize {
    let top = row * ROW_HEIGHT;
    let viewport = VISIBLE_ROWS * ROW_HEIGHT;
    if top < scroll_top {
        top
    } else if top + ROW_HEIGHT > scroll_top + viewport {
        top + ROW_HEIGHT - viewport
    } else {
        scroll_top
    }
}

fn count_text(matches: usize) -> String {
    let t = crate::i18n::t();
    match matches {
        0 => t.no_matches.to_owned(),
        1 => t.one_match.to_owned(),
        n => crate::i18n::fill(t.n_matches, &[&n]),
    }
}

/// A WAI-ARIA combobox (editable input + listbox popup).
///
/// Its accessible name comes from a `<label for=id>` (see
/// [`FormField`](super::FormField)) or from `aria_label`.
#[component]
pub fn Combobox(
    /// The input's id; the listbox is `{id}-listbox`.
    #[prop(into)]
    id: String,
    /// The text in the input (controlled).
    #[prop(into)]
    value: Signal<String>,
    /// Called on every edit with the new text.
    on_input: Callback<String>,
    /// Called with the option chosen by Enter or click.
    on_select: Callback<ComboOption>,
    /// Every option, in display order.
    #[prop(into)]
    options: Signal<Arc<Vec<ComboOption>>>,
    /// Placeholder of the input.
    #[prop(optional, into)]
    placeholder: MaybeProp<String>,
    /// Sets `aria-invalid`.
    #[prop(optional, into)]
    invalid: Signal<bool>,
    /// `aria-describedby` of the input (see [`described_by`](super::described_by)).
    #[prop(optional, into)]
    described_by: MaybeProp<String>,
    /// Values shown but `aria-disabled` (e.g. accounts used in other rows).
    #[prop(optional, into)]
    disabled_values: Signal<Vec<String>>,
    /// Shown beside disabled options, e.g. "Used in another row".
    #[prop(optional, into)]
    disabled_note: MaybeProp<String>,
    /// Accessible name when there is no `<label for=id>`.
    #[prop(optional, into)]
    aria_label: MaybeProp<String>,
    /// Keep the popup open after a choice (multi-select).
    #[prop(optional)]
    keep_open: bool,
    /// The listbox is `aria-multiselectable`, with `aria-selected` on the
    /// options in `selected_values` (otherwise on the active option).
    #[prop(optional)]
    multiselectable: bool,
    /// The chosen values when `multiselectable`.
    #[prop(optional, into)]
    selected_values: Signal<Vec<String>>,
    /// Called for keys the combobox does not handle itself.
    #[prop(optional)]
    on_keydown: Option<Callback<KeyboardEvent>>,
) -> impl IntoView {
    let listbox_id = format!("{id}-listbox");
    let status_id = format!("{id}-count");
    let id = StoredValue::new(id);

    let open = RwSignal::new(false);
    let active: RwSignal<Option<usize>> = RwSignal::new(None);
    let scroll_top = RwSignal::new(0_usize);
    let popup = NodeRef::<html::Div>::new();

    // The filtered rows live in a reused buffer; the memo's value is a revision
    // number that readers track.
    let rows = StoredValue::new(Rows::default());
    let revision = Memo::new(move |prev: Option<&u64>| {
        let query: String = value.with(|v| v.trim().chars().flat_map(char::to_lowercase).collect());
        options.with(|o| rows.update_value(|r| r.fill(o, &query)));
        prev.map_or(0, |p| p.wrapping_add(1))
    });

    let set_scroll = move |top: usize| {
        if let Some(el) = popup.get_untracked() {
            el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
        }
        scroll_top.set(top);
    };
    let move_active = move |to: Option<usize>| {
        active.set(to);
        if let Some(row) = to {
            set_scroll(scroll_to_show(row, scroll_top.get_untracked()));
        }
    };
    let choose = move |row: usize| {
        let _ = revision.get_untracked();
        let Some(Row::Option(index)) = rows.with_value(|r| r.get(row)) else {
            return;
        };
        let Some(option) = options.with_untracked(|o| o.get(index).cloned()) else {
            return;
        };
        if disabled_values.with_untracked(|d| d.contains(&option.value)) {
            return;
        }
        if !keep_open {
            open.set(false);
            active.set(None);
        }
        on_select.run(option);
    };

    let on_key = move |ev: KeyboardEvent| {
        if ev.is_composing() {
            return;
        }
        let _ = revision.get_untracked();
        let key = ev.key();
        let was_open = open.get_untracked();
        if key == "ArrowDown" && ev.alt_key() {
            // Alt+Down opens the list without moving into it.
            ev.prevent_default();
            open.set(true);
            return;
        }
        let current = active.get_untracked();
        let page = VISIBLE_ROWS as isize;
        let target = match key.as_str() {
            "ArrowDown" => Some(rows.with_value(|r| r.step(current, 1))),
            "ArrowUp" => Some(rows.with_value(|r| r.step(current, -1))),
            "PageDown" if was_open => Some(rows.with_value(|r| r.step(current, page))),
            "PageUp" if was_open => Some(rows.with_value(|r| r.step(current, -page))),
            "Home" if was_open && current.is_some() => Some(rows.with_value(Rows::first)),
            "End" if was_open && current.is_some() => Some(rows.with_value(Rows::last)),
            _ => None,
        };
        if let Some(target) = target {
            ev.prevent_default();
            open.set(true);
            move_active(target);
            return;
        }
        match key.as_str() {
            // Without an active option, Enter keeps its default (e.g. submitting a form).
            "Enter" if was_open && current.is_some() => {
                ev.prevent_default();
                if let Some(row) = current {
                    choose(row);
                }
            }
            "Escape" if was_open => {
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            "Tab" => {
                open.set(false);
                active.set(None);
            }
            _ => {
                if let Some(cb) = on_keydown {
                    cb.run(ev);
                }
            }
        }
    };

    let on_edit = move |ev: web_sys::Event| {
        on_input.run(event_target_value(&ev));
        open.set(true);
        active.set(None);
        set_scroll(0);
    };

    // The rendered rows change only when the scroll crosses a row boundary.
    let visible = Memo::new(move |_| {
        let _ = revision.get();
        let top = scroll_top.get();
        rows.with_value(|r| window(top, r.len()))
    });

    let option_id = move |index: usize| format!("{}-opt-{index}", id.read_value());
    let activedescendant = move || {
        if !open.get() {
            return None;
        }
        let _ = revision.get();
        let row = active.get()?;
        let (start, end) = visible.get();
        if !(start..end).contains(&row) {
            return None;
        }
        match rows.with_value(|r| r.get(row)) {
            Some(Row::Option(i)) => Some(option_id(i)),
            _ => None,
        }
    };

    // A row is plain values: the list re-renders when the filter, the scroll window, the
    // active row or the disabled values change, so a row needs no reactive parts of its own
    // (building 20 rows' worth of effects and memos per keystroke was most of its cost).
    let render_row = move |o: &ComboOption,
                           row: usize,
                           entry: Row,
                           posinset: usize,
                           now: &RowState| {
        match entry {
            Row::Header(_) => view! {
                <li class="cf-combobox__row cf-combobox__group" role="presentation" aria-hidden="true">
                    {o.group.clone().unwrap_or_default()}
                </li>
            }
            .into_any(),
            Row::Option(index) => {
                let disabled = now.disabled.contains(&o.value);
                let is_active = now.active == Some(row);
                let selected = if multiselectable {
                    now.selected.contains(&o.value)
                } else {
                    is_active
                };
                let note = disabled
                    .then(|| now.note.clone())
                    .flatten()
                    .map(|n| view! { <span class="cf-combobox__note">{n}</span> });
                let group = o
                    .group
                    .as_ref()
                    .map(|g| view! { <span class="cf-visually-hidden">{crate::i18n::fill(crate::i18n::t().in_group, &[g])}</span> });
                view! {
                    <li
                        class="cf-combobox__row cf-combobox__option"
                        role="option"
                        id=option_id(index)
                        aria-setsize=now.setsize.to_string()
                        aria-posinset=posinset.to_string()
                        aria-selected=if selected { "true" } else { "false" }
                        aria-disabled=disabled.then_some("true")
                        data-active=is_active.then_some("true")
                        on:click=move |_| choose(row)
                    >
                        <span class="cf-combobox__label">{o.label.clone()}</span>
                        <span class="cf-combobox__detail">{o.detail.clone()}</span>
                        {note}
                        {group}
                    </li>
                }
                .into_any()
            }
        }
    };

    let listbox_rows = move || {
        if !open.get() {
            return Vec::new();
        }
        let _ = revision.get();
        let (start, end) = visible.get();
        let now = RowState {
            active: active.get(),
            disabled: disabled_values.get(),
            selected: if multiselectable {
                selected_values.get()
            } else {
                Vec::new()
            },
            note: disabled_note.get(),
            setsize: rows.with_value(Rows::matches),
        };
        rows.with_value(|r| {
            options.with_untracked(|o| {
                (start..end)
                    .filter_map(|row| {
                        let entry = r.get(row)?;
                        let (Row::Header(i) | Row::Option(i)) = entry;
                        Some(render_row(o.get(i)?, row, entry, r.posinset(row), &now))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let total_height = move || {
        if !open.get() {
            return "0px".to_owned();
        }
        let _ = revision.get();
        let len = rows.with_value(Rows::len).max(1);
        format!("{}px", len * ROW_HEIGHT)
    };
    let padding_top = move || {
        let (start, _) = visible.get();
        format!("{}px", start * ROW_HEIGHT)
    };
    let count = move || {
        if !open.get() {
            return String::new();
        }
        let _ = revision.get();
        count_text(rows.with_value(Rows::matches))
    };
    let labelledby = format!("{}-label", id.read_value());
    let listbox_label = aria_label;
    // Without a match the popup stays closed ("No matches" is said by the count): an empty
    // popup would only cover the field's own messages, such as a did-you-mean hint.
    let shown = move || {
        open.get() && {
            let _ = revision.get();
            rows.with_value(Rows::matches) > 0
        }
    };

    view! {
        <div class="cf-combobox" data-open=move || open.get().then_some("true")>
            <input
                type="text"
                class="cf-input cf-combobox__input"
                id=id.get_value()
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-expanded=move || if shown() { "true" } else { "false" }
                aria-controls=listbox_id.clone()
                aria-activedescendant=activedescendant
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || described_by.get()
                aria-label=move || aria_label.get()
                placeholder=move || placeholder.get()
                prop:value=move || value.get()
                on:input=on_edit
                on:keydown=on_key
                on:click=move |_| open.set(true)
                on:blur=move |_| {
                    open.set(false);
                    active.set(None);
                }
            />
            <div
                class="cf-combobox__popup"
                node_ref=popup
                hidden=move || !shown()
                // Clicks in the popup (options, scrollbar) keep focus in the input.
                on:mousedown=|ev| ev.prevent_default()
                style:max-height=format!("{}px", VISIBLE_ROWS * ROW_HEIGHT)
                on:scroll=move |ev| {
                    let top = event_target::<web_sys::Element>(&ev).scroll_top();
                    scroll_top.set(usize::try_from(top).unwrap_or(0));
                }
            >
                <ul
                    class="cf-combobox__listbox"
                    role="listbox"
                    id=listbox_id
                    aria-labelledby=move || listbox_label.get().is_none().then(|| labelledby.clone())
                    aria-label=move || listbox_label.get()
                    aria-multiselectable=multiselectable.then_some("true")
                    style:height=total_height
                    style:padding-top=padding_top
                >
                    {listbox_rows}
                </ul>
            </div>
            <div class="cf-visually-hidden" role="status" id=status_id>
                {count}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_for(options: &[ComboOption], query: &str) -> Rows {
        let mut rows = Rows::default();
        rows.fill(options, query);
        rows
    }

    fn regions() -> Vec<ComboOption> {
        vec![
            ComboOption::new("us-east-1", "us-east-1", "US East").in_group("AWS commercial"),
            ComboOption::new("eu-west-1", "eu-west-1", "Europe (Ireland)")
                .in_group("AWS commercial"),
            ComboOption::new("cn-north-1", "cn-north-1", "China (Beijing)").in_group("AWS China"),
        ]
    }

    #[test]
    fn ungrouped_matches_rank_exact_then_prefix_then_substring() {
        let options = [
            ComboOption::new(
                "arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess",
                "AWSBillingReadOnlyAccess",
                "",
            ),
            ComboOption::new(
                "arn:aws:iam::aws:policy/ReadOnlyAccessPlus",
                "ReadOnlyAccessPlus",
                "",
            ),
            ComboOption::new(
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "ReadOnlyAccess",
                "Read everything",
            ),
            ComboOption::new("x", "Unrelated", ""),
        ];
        let rows = rows_for(&options, "readonlyaccess");
        assert_eq!(rows.matches(), 3);
        let order: Vec<_> = (0..rows.len()).filter_map(|r| rows.option_at(r)).collect();
        assert_eq!(order, [2, 1, 0]);
        // Grouped lists keep their order and headers.
        assert_eq!(rows_for(&regions(), "1").matches(), 3);
    }

    #[test]
    fn has_substring_agrees_with_str_contains() {
        let hays = [
            "",
            "a",
            "abc",
            "123456789012\nprod\n",
            "déf\nÄpfel",
            "ééé",
            "aaab",
        ];
        let needles = [
            "", "a", "b", "bc", "abcd", "6789", "\n", "é", "éé", "f\nä", "pfel", "aab", "x",
        ];
        for h in hays {
            for n in needles {
                assert_eq!(has_substring(h, n), h.contains(n), "{h:?} / {n:?}");
            }
        }
    }

    #[test]
    fn haystack_is_lowercase_and_keeps_fields_apart() {
        let o = ComboOption::new("ABC", "Déf", "GHI");
        assert_eq!(haystack(&o), "abc\ndéf\nghi");
        // "cd" would only match across the value/label boundary.
        assert_eq!(rows_for(&[o], "cd").matches(), 0);
    }

    #[test]
    fn fill_matches_value_label_and_detail_with_group_headers() {
        let options = regions();
        let all = rows_for(&options, "");
        assert_eq!(all.len(), 5);
        assert_eq!(all.matches(), 3);
        assert_eq!(all.get(0), Some(Row::Header(0)));
        assert_eq!(all.get(1), Some(Row::Option(0)));
        assert_eq!(all.get(3), Some(Row::Header(2)));
        assert_eq!(all.posinset(4), 3);
        let eu = rows_for(&options, "ireland");
        assert_eq!(eu.len(), 2);
        assert_eq!(eu.get(1), Some(Row::Option(1)));
        assert_eq!(eu.posinset(1), 1);
        assert_eq!(rows_for(&options, "zz").len(), 0);
    }

    #[test]
    fn refill_reuses_the_buffer() {
        let options = regions();
        let mut rows = Rows::default();
        rows.fill(&options, "");
        let capacity = rows.entries.capacity();
        let ptr = rows.entries.as_ptr();
        rows.fill(&options, "us");
        assert_eq!(rows.entries.as_ptr(), ptr);
        assert_eq!(rows.entries.capacity(), capacity);
    }

    #[test]
    fn steps_skip_headers_and_clamp() {
        let rows = rows_for(&regions(), "");
        assert_eq!(rows.step(None, 1), Some(1));
        assert_eq!(rows.step(Some(1), 1), Some(2));
        assert_eq!(rows.step(Some(2), 1), Some(4), "skips the China header");
        assert_eq!(rows.step(Some(4), 1), Some(4));
        assert_eq!(rows.step(Some(4), -1), Some(2));
        assert_eq!(
            rows.step(Some(1), -1),
            Some(1),
            "never lands on the first header"
        );
        assert_eq!(rows.step(None, -1), Some(4));
        assert_eq!(rows.step(Some(1), 100), Some(4));
        assert_eq!(rows.first(), Some(1));
        assert_eq!(rows.last(), Some(4));
        let empty = rows_for(&regions(), "zz");
        assert_eq!(empty.step(None, 1), None);
        assert_eq!(empty.first(), None);
    }

    #[test]
    fn window_is_bounded_and_follows_scroll() {
        assert_eq!(window(0, 3), (0, 3));
        let (start, end) = window(0, 10_000);
        assert_eq!(start, 0);
        assert!(end - start <= VISIBLE_ROWS + 1 + 2 * OVERSCAN);
        let (start, end) = window(ROW_HEIGHT * 5_000, 10_000);
        assert_eq!(start, 5_000 - OVERSCAN);
        assert!(end > 5_000 + VISIBLE_ROWS && end - start <= VISIBLE_ROWS + 1 + 2 * OVERSCAN);
        // Scrolled past a list that shrank.
        assert_eq!(window(ROW_HEIGHT * 5_000, 2), (2, 2));
    }

    #[test]
    fn scroll_to_show_only_moves_when_needed() {
        assert_eq!(scroll_to_show(0, 0), 0);
        assert_eq!(scroll_to_show(3, 0), 0);
        let bottom = scroll_to_show(20, 0);
        assert_eq!(bottom, 21 * ROW_HEIGHT - VISIBLE_ROWS * ROW_HEIGHT);
        assert_eq!(scroll_to_show(2, bottom), 2 * ROW_HEIGHT);
    }
}

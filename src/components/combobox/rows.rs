//! The virtualised listbox: the filtered rows in a reused buffer, and which of
//! them are in the DOM for a scroll offset.

use super::options::{has_substring, haystack, rank_of, ComboOption, Rank};

/// Height of one listbox row in px; style/components.css sets the same
/// (`.cf-combobox__row`).
pub const ROW_HEIGHT: usize = 36;
/// Rows visible in the popup without scrolling.
pub const VISIBLE_ROWS: usize = 8;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 4;

const HEADER: u32 = 1 << 31;

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
pub(super) struct RowState {
    /// The active row, if any.
    pub(super) active: Option<usize>,
    /// Values shown but `aria-disabled`.
    pub(super) disabled: Vec<String>,
    /// The listbox is multi-select: `aria-selected` marks the `selected` values (else
    /// the active option).
    pub(super) multiselectable: bool,
    /// The chosen values of a multi-select (empty otherwise).
    pub(super) selected: Vec<String>,
    /// Shown beside disabled options.
    pub(super) note: Option<String>,
    /// `aria-setsize`: the number of matching options.
    pub(super) setsize: usize,
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
pub(super) fn scroll_to_show(row: usize, scroll_top: usize) -> usize {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in super::super) fn rows_for(options: &[ComboOption], query: &str) -> Rows {
        let mut rows = Rows::default();
        rows.fill(options, query);
        rows
    }

    pub(in super::super) fn regions() -> Vec<ComboOption> {
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

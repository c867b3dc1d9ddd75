//! The options of a combobox and how they match a query: a case-insensitive
//! substring match over value, label and detail, exact and prefix matches first.

/// One choice in a [`Combobox`](super::Combobox) or [`MultiSelect`](crate::components::MultiSelect).
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

/// The lowercase text an option is matched against. Fields are separated by a
/// newline, which a query typed into an input cannot contain.
pub(super) fn haystack(o: &ComboOption) -> &str {
    &o.search
}

/// How well an option matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rank {
    Exact,
    Prefix,
    Contains,
}

/// Whether `needle` occurs in `hay`. `str::contains` sets up a two-way searcher on every
/// call, which over 10,000 short haystacks per keystroke was a measurable part of the
/// picker's work; a plain scan of bytes needs none (and is exact for UTF-8: a valid
/// needle can only match a valid haystack on character boundaries).
pub(super) fn has_substring(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    match needle.first() {
        None => true,
        Some(&first) => hay
            .windows(needle.len())
            .any(|w| w[0] == first && w == needle),
    }
}

/// The rank of a haystack (`value\nlabel\ndetail`, lowercase) for a lowercase query.
pub(super) fn rank_of(hay: &str, query: &str) -> Option<Rank> {
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

#[cfg(test)]
mod tests {
    use super::super::rows::tests::rows_for;
    use super::*;

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
}

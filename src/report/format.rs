//! Numbers, percentages, shares and dates as officials write them: Vietnamese
//! (79,9%; 3.146) or English (79.9%; 3,146). Display only: the figures stay exact.

use crate::model::{Date, Lang};
use crate::tree::Share;
use rust_decimal::Decimal;

/// Formats a number for display in a language: rounded half away from zero to `dp`
/// decimals (kept even when zero: `dp = 1` gives `17,0`), thousands grouped. Vietnamese:
/// `3.146`, `79,9`; English: `3,146`, `79.9`.
///
/// # Example
///
/// ```
/// use ntm_rules::report::format_number;
/// use ntm_rules::model::Lang;
/// use rust_decimal::Decimal;
///
/// let share = Decimal::from(147 * 100) / Decimal::from(184);
/// assert_eq!(format_number(share, 1, Lang::Vi), "79,9");
/// assert_eq!(format_number(Decimal::from(1234567), 0, Lang::Vi), "1.234.567");
/// assert_eq!(format_number(Decimal::new(12345, 1), 1, Lang::En), "1,234.5");
/// ```
pub fn format_number(value: Decimal, dp: u32, lang: Lang) -> String {
    let mut v =
        value.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(dp);
    let text = v.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text, None),
    };
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(&f);
    }
    out
}

/// A percentage for display: [`format_number`] to one decimal, then `%`.
pub fn format_percent(value: Decimal, lang: Lang) -> String {
    format!("{}%", format_number(value, 1, lang))
}

pub(super) fn fmt_share(s: &Share, lang: Lang) -> String {
    match s.percent {
        Some(p) => format!(
            "{}/{} ({})",
            format_number(s.count.into(), 0, lang),
            format_number(s.total.into(), 0, lang),
            format_percent(p, lang)
        ),
        None => format!("{}/{}", s.count, s.total),
    }
}

pub(super) fn fmt_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

/// Picks the Vietnamese or English text.
pub(super) fn tr(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

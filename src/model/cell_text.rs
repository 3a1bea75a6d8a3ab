//! Values as people type them into spreadsheet cells: decimals with a point or a comma
//! (`78.5`, `78,5`), yes/no in English or Vietnamese (`có`/`không`, `đạt`/`không đạt`),
//! requirements as words or symbols. Never rounded: a number is read exactly or refused,
//! and one that could be read two ways (`1,234`) is refused with both readings.

use rust_decimal::Decimal;

use crate::model::criteria::Requirement;
use crate::model::decimal::parse_exact;

/// Reads a number typed in a cell: digits with at most one decimal separator, a point
/// or a comma (`78.5`, `78,5`, `-2`, `80`), read exactly ([`parse_exact`]). No
/// thousands separators: a comma followed by exactly three digits after one to three
/// digits (`1,234`) is either 1.234 or 1234, so it is refused and the message says both.
///
/// # Errors
///
/// The message for the cell.
///
/// ```
/// use ntm_rules::model::parse_cell_number;
/// assert_eq!(parse_cell_number("78,5").unwrap().to_string(), "78.5");
/// assert!(parse_cell_number("1,234").unwrap_err().contains("1.234 with a decimal comma"));
/// assert_eq!(parse_cell_number("0,234").unwrap().to_string(), "0.234");
/// ```
pub fn parse_cell_number(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let commas = t.matches(',').count();
    let points = t.matches('.').count();
    if commas + points > 1 {
        return Err(format!(
            "invalid number `{t}`: one decimal separator (`.` or `,`) at most, and no thousands separators"
        ));
    }
    let dotted = if commas == 1 {
        let (int, frac) = t.split_once(',').unwrap_or((t, ""));
        let digits = int.trim_start_matches(['-', '+']);
        let ambiguous = frac.len() == 3
            && (1..=3).contains(&digits.len())
            && !digits.starts_with('0')
            && frac
                .bytes()
                .chain(digits.bytes())
                .all(|b| b.is_ascii_digit());
        if ambiguous {
            return Err(format!(
                "ambiguous number `{t}`: {int}.{frac} with a decimal comma, or {int}{frac} with a \
                 thousands separator; write `{int}.{frac}` or `{int}{frac}`"
            ));
        }
        format!("{int}.{frac}")
    } else {
        t.to_owned()
    };
    parse_exact(&dotted).map_err(|e| format!("invalid number `{t}`: {e}"))
}

/// Reads yes or no: `yes`/`no`, `true`/`false`, `có`/`không`, `đạt`/`không đạt` (also
/// `chưa đạt`), any case.
///
/// ```
/// use ntm_rules::model::parse_yes_no;
/// assert_eq!(parse_yes_no("Không đạt"), Some(false));
/// assert_eq!(parse_yes_no("có"), Some(true));
/// assert_eq!(parse_yes_no("maybe"), None);
/// ```
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let t = text.trim().to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.as_str() {
        "yes" | "true" | "có" | "đạt" => Some(true),
        "no" | "false" | "không" | "không đạt" | "chưa đạt" => Some(false),
        _ => None,
    }
}

/// What the words for yes and no are, for messages and drop-down lists.
pub const YES_NO_WORDS: [&str; 2] = ["có", "không"];

/// A requirement's Vietnamese and English words.
pub fn requirement_words(r: Requirement) -> (&'static str, &'static str) {
    match r {
        Requirement::AtLeast => ("tối thiểu", "at least"),
        Requirement::AtMost => ("tối đa", "at most"),
        Requirement::Above => ("lớn hơn", "above"),
        Requirement::Below => ("nhỏ hơn", "below"),
        Requirement::Equal => ("bằng", "equal"),
        Requirement::OneOf => ("một trong", "one of"),
    }
}

/// Reads a requirement: its snake_case name (`at_least`), its symbol (`≥`, or `>=`),
/// or its English or Vietnamese words (`at least`, `tối thiểu`), any case.
///
/// ```
/// use ntm_rules::model::{parse_requirement, Requirement};
/// assert_eq!(parse_requirement("tối thiểu"), Some(Requirement::AtLeast));
/// assert_eq!(parse_requirement(">="), Some(Requirement::AtLeast));
/// ```
pub fn parse_requirement(text: &str) -> Option<Requirement> {
    let t = text.trim().to_lowercase();
    let all = [
        Requirement::AtLeast,
        Requirement::AtMost,
        Requirement::Above,
        Requirement::Below,
        Requirement::Equal,
        Requirement::OneOf,
    ];
    let ascii = match t.as_str() {
        ">=" => Some(Requirement::AtLeast),
        "<=" => Some(Requirement::AtMost),
        _ => None,
    };
    ascii.or_else(|| {
        all.into_iter().find(|&r| {
            let (vi, en) = requirement_words(r);
            t == vi || t == en || t == en.replace(' ', "_") || t == r.symbol()
        })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn decimal_comma_and_point_read_exactly() {
        assert_eq!(parse_cell_number("78,5").unwrap(), Decimal::new(785, 1));
        assert_eq!(parse_cell_number(" 16.50 ").unwrap().to_string(), "16.50");
        assert_eq!(parse_cell_number("-1,5").unwrap(), Decimal::new(-15, 1));
        assert_eq!(parse_cell_number("1234,5").unwrap(), Decimal::new(12345, 1));
        assert!(parse_cell_number("1.234,5").is_err());
        assert!(parse_cell_number("78,5%").is_err());
    }

    #[test]
    fn ambiguous_comma_number_is_refused_with_both_readings() {
        let e = parse_cell_number("1,234").unwrap_err();
        assert!(e.contains("1.234 with a decimal comma"), "{e}");
        assert!(e.contains("1234 with a thousands separator"), "{e}");
        assert!(parse_cell_number("12,345").is_err());
        assert_eq!(parse_cell_number("12,34").unwrap(), Decimal::new(1234, 2));
    }

    #[test]
    fn decimal_past_28_digits_in_a_cell_is_refused_not_rounded() {
        assert!(parse_cell_number("0,12345678901234567890123456789").is_err());
    }

    #[test]
    fn vietnamese_yes_no_words_are_read() {
        assert_eq!(parse_yes_no("không"), Some(false));
        assert_eq!(parse_yes_no("ĐẠT"), Some(true));
        assert_eq!(parse_yes_no("không  đạt"), Some(false));
        assert_eq!(parse_requirement("at_least"), Some(Requirement::AtLeast));
        assert_eq!(parse_requirement("Tối đa"), Some(Requirement::AtMost));
        assert_eq!(parse_requirement("∈"), Some(Requirement::OneOf));
        assert_eq!(parse_requirement("sometimes"), None);
    }
}

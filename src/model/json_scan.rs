//! The check of a JSON text against the [`Limits`] before it is parsed: its size, the
//! nesting depth of its arrays and objects and the length of each string, in one pass
//! over the bytes, with the JSON Pointer, line and column of the value at fault.

use crate::model::limits::{Exceeded, Limit, Limits};
use crate::model::load::LoadError;
use crate::model::location::JsonPointer;

impl Limits {
    /// Checks a batch size against the unit limit.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when `count` exceeds the limit.
    pub fn check_units(&self, what: &'static str, count: usize) -> Result<(), LoadError> {
        self.check(Limit::MaxUnits, count)
            .map_err(|e| LoadError::limit(what, e, e.message(format_args!("{count} units")), None))
    }

    /// Checks the size of `text`, the nesting depth of its arrays and objects and the
    /// length of each of its strings (keys too, counted as written, escapes included),
    /// without parsing it: one pass over the bytes, with no allocation, and only when a
    /// limit is exceeded a second one that follows the JSON path (one frame per level
    /// of nesting) to say where. The error names the limit and the JSON Pointer, line
    /// and column of the value at fault.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when a limit is exceeded.
    pub fn check_text(&self, what: &'static str, text: &str) -> Result<(), LoadError> {
        self.check(Limit::MaxBytes, text.len()).map_err(|e| {
            let found = format_args!("input is {} bytes", text.len());
            LoadError::limit(what, e, e.message(found), None)
        })?;
        let (max_depth, max_string) = (self.get(Limit::MaxDepth), self.get(Limit::MaxStringBytes));
        if within(text.as_bytes(), max_depth, max_string) {
            return Ok(());
        }
        // Over a limit: scanned again, following the path, to say where.
        Scan::new(text, self).run(what)
    }
}

/// Whether `bytes` nests at most `max_depth` deep with no string over `max_string`
/// bytes: the test of [`Scan::run`] without the path it follows (which only an error
/// needs), so it finds every excess that scan finds.
fn within(bytes: &[u8], max_depth: usize, max_string: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let Some(end) = string_end(bytes, i) else {
                    // An unterminated string: the scan stops there too.
                    return true;
                };
                if end - i - 1 > max_string {
                    return false;
                }
                i = end;
            }
            b'[' | b'{' => {
                if depth >= max_depth {
                    return false;
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    true
}

/// One open array or object of [`Scan`].
#[derive(Debug, Clone, Copy)]
enum Frame {
    /// An array and the index of its current element.
    Array(usize),
    /// An object, the byte range of its current key (inside the quotes) and whether a
    /// key comes next.
    Object(Option<(usize, usize)>, bool),
}

/// The position of the quote that closes the string opened by the quote at `open`, or
/// `None` when the text ends first. A backslash escapes the byte after it. The first
/// bytes are looked at one by one (most strings of a request are short ids), the rest
/// with `memchr2` for the next quote or backslash.
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut from = open.checked_add(1)?;
    let short = from.saturating_add(SHORT);
    while from < short {
        match *bytes.get(from)? {
            b'"' => return Some(from),
            b'\\' => from = from.checked_add(2)?,
            _ => from += 1,
        }
    }
    loop {
        let rest = bytes.get(from..)?;
        let at = from + memchr::memchr2(b'"', b'\\', rest)?;
        if bytes.get(at) == Some(&b'"') {
            return Some(at);
        }
        from = at.checked_add(2)?;
    }
}

/// How many bytes of a string [`string_end`] looks at one by one.
const SHORT: usize = 24;

/// The pre-parse scan of [`Limits::check_text`].
struct Scan<'a> {
    text: &'a str,
    max_depth: usize,
    max_string: usize,
    stack: Vec<Frame>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, limits: &Limits) -> Scan<'a> {
        Scan {
            text,
            max_depth: limits.get(Limit::MaxDepth),
            max_string: limits.get(Limit::MaxStringBytes),
            stack: Vec::new(),
        }
    }

    fn run(mut self, what: &'static str) -> Result<(), LoadError> {
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    // A string's body is skipped to its closing quote, an escape at a time
                    // (`memchr2` finds the next quote or backslash).
                    let Some(end) = string_end(bytes, i) else {
                        // An unterminated string: the parse that follows reports it.
                        return Ok(());
                    };
                    self.string(what, i, end)?;
                    i = end;
                }
                b'[' | b'{' => {
                    if self.stack.len() >= self.max_depth {
                        let e = Exceeded {
                            name: Limit::MaxDepth,
                            value: self.max_depth,
                        };
                        let message = format!(
                            "input nests deeper than the limit of {} ({})",
                            e.value, e.name
                        );
                        return Err(self.error(what, e, message, i));
                    }
                    self.stack.push(if b == b'[' {
                        Frame::Array(0)
                    } else {
                        Frame::Object(None, true)
                    });
                }
                b']' | b'}' => {
                    self.stack.pop();
                }
                b',' => match self.stack.last_mut() {
                    Some(Frame::Array(index)) => *index = index.saturating_add(1),
                    Some(Frame::Object(_, next_is_key)) => *next_is_key = true,
                    None => {}
                },
                b':' => {
                    if let Some(Frame::Object(_, next_is_key)) = self.stack.last_mut() {
                        *next_is_key = false;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }

    /// A string from the quote at `start` to the quote at `end`.
    fn string(&mut self, what: &'static str, start: usize, end: usize) -> Result<(), LoadError> {
        let len = end.saturating_sub(start).saturating_sub(1);
        if len > self.max_string {
            let e = Exceeded {
                name: Limit::MaxStringBytes,
                value: self.max_string,
            };
            let message = e.message(format_args!("a string of {len} bytes"));
            return Err(self.error(what, e, message, start));
        }
        if let Some(Frame::Object(key, true)) = self.stack.last_mut() {
            *key = Some((start, end));
        }
        Ok(())
    }

    /// The error at byte `at`, with the pointer of the value being read there.
    fn error(&self, what: &'static str, e: Exceeded, message: String, at: usize) -> LoadError {
        let mut pointer = JsonPointer::root();
        for frame in &self.stack {
            match frame {
                Frame::Array(index) => pointer.push(index),
                Frame::Object(Some((start, end)), false) => {
                    let raw = self.text.get(*start..=*end).unwrap_or_default();
                    let key: String = serde_json::from_str(raw).unwrap_or_else(|_| raw.to_owned());
                    pointer.push(key);
                }
                Frame::Object(..) => break,
            }
        }
        let before = self.text.get(..at).unwrap_or_default();
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let column = before.rfind('\n').map_or(at, |n| at - n - 1) + 1;
        LoadError::limit(what, e, message, Some((pointer, line, column)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_ends_at_its_first_unescaped_quote() {
        let text = br#""a\"b\\" , "c""#;
        assert_eq!(string_end(text, 0), Some(7));
        assert_eq!(string_end(text, 11), Some(13));
        assert_eq!(string_end(br#""ab\""#, 0), None);
        assert_eq!(string_end(br#""ab\"#, 0), None);
        assert_eq!(string_end(b"\"", 0), None);
        // Past the bytes looked at one by one: escapes and quotes found the same way.
        for n in [SHORT - 2, SHORT - 1, SHORT, SHORT + 1, 3 * SHORT] {
            let body = "x".repeat(n);
            let text = format!(r#""{body}\"{body}\\" "#);
            assert_eq!(string_end(text.as_bytes(), 0), Some(2 * n + 5), "{n}");
            let open = format!(r#""{body}\"#);
            assert_eq!(string_end(open.as_bytes(), 0), None, "{n}");
        }
    }

    proptest::proptest! {
        /// Where a string ends, against stepping through it a byte at a time.
        #[test]
        fn a_string_ends_where_stepping_through_it_ends(text in r#""a{0,40}[ab"\\\\]{0,40}"#) {
            let bytes = text.as_bytes();
            let mut at = 1;
            let stepped = loop {
                match bytes.get(at) {
                    None => break None,
                    Some(b'"') => break Some(at),
                    Some(b'\\') => at += 2,
                    Some(_) => at += 1,
                }
            };
            proptest::prop_assert_eq!(string_end(bytes, 0), stepped);
        }

        /// The quick test passes a text exactly when the scan that says where passes it.
        #[test]
        fn the_quick_test_agrees_with_the_scan(
            text in r#"[\[\]{}"\\a:,]{0,40}"#,
            depth in 0usize..5,
            string in 0usize..6,
        ) {
            let limits = Limits::default().max_depth(depth).max_string_bytes(string);
            let scan = Scan::new(&text, &limits).run("t").is_ok();
            proptest::prop_assert_eq!(within(text.as_bytes(), depth, string), scan);
        }
    }

    #[test]
    fn brackets_and_quotes_inside_strings_do_not_count() {
        let limits = Limits::default().max_depth(2).max_string_bytes(6);
        // Inside strings, brackets nest nothing and escaped quotes end nothing.
        assert!(limits
            .check_text("t", r#"{"a": ["[[[{", "\"]]\\"]}"#)
            .is_ok());
        // The string after an escaped quote is measured from its own quote: 7 bytes.
        let long = limits
            .check_text("t", r#"{"a": ["x\"", "abcdefg"]}"#)
            .map(|()| String::new())
            .unwrap_or_else(|e| e.to_string());
        assert!(long.contains("7 bytes"), "{long}");
        assert!(long.contains("/a/1"), "{long}");
        // One level deeper than the limit, after a string holding brackets.
        let deep = limits
            .check_text("t", r#"{"a": ["{[", [1]]}"#)
            .map(|()| String::new())
            .unwrap_or_else(|e| e.to_string());
        assert!(deep.contains("deeper"), "{deep}");
    }
}

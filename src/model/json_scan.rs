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
    /// without parsing it: one pass over the bytes, no allocation beyond one frame per
    /// level of nesting. The error names the limit and the JSON Pointer, line and column
    /// of the value at fault.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when a limit is exceeded.
    pub fn check_text(&self, what: &'static str, text: &str) -> Result<(), LoadError> {
        self.check(Limit::MaxBytes, text.len()).map_err(|e| {
            let found = format_args!("input is {} bytes", text.len());
            LoadError::limit(what, e, e.message(found), None)
        })?;
        Scan::new(text, self).run(what)
    }
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
        let (mut in_string, mut escaped, mut start) = (false, false, 0usize);
        for (i, b) in self.text.bytes().enumerate() {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => {
                        in_string = false;
                        self.string(what, start, i)?;
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => {
                    in_string = true;
                    start = i;
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

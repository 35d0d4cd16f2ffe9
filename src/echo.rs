//! Input echoed in error messages, capped: a refusal names the value at
//! fault, but a value of megabytes would make a line of megabytes. Past
//! [`ECHO_LIMIT`] characters a value is cut, and the cut says so: the start,
//! quoted, then `…` and the whole value's length in bytes.
//!
//! ```
//! use reinit_disk::echo::Echo;
//!
//! assert_eq!(Echo("d-1").to_string(), r#""d-1""#);
//! let long = "x".repeat(1_000);
//! assert_eq!(Echo(&long).to_string(), format!("\"{}\"… (1000 bytes)", "x".repeat(100)));
//! ```

use core::fmt;

/// The most characters of one value an error message shows.
pub const ECHO_LIMIT: usize = 100;

/// The most characters a whole error message shows once its values are
/// capped (a message echoing many short values, each under the limit).
pub const MESSAGE_LIMIT: usize = 1_000;

/// A value as an error message shows it: quoted and escaped as Rust's
/// `{:?}` does, cut after [`ECHO_LIMIT`] characters with `… (N bytes)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Echo<'a>(pub &'a str);

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match cut(self.0, ECHO_LIMIT) {
            Some(start) => write!(f, "{start:?}… ({} bytes)", self.0.len()),
            None => write!(f, "{:?}", self.0),
        }
    }
}

/// The first `limit` characters of `text`, if it has more.
fn cut(text: &str, limit: usize) -> Option<&str> {
    text.char_indices()
        .nth(limit)
        .and_then(|(end, _)| text.get(..end))
}

/// `message` with every value it quotes capped: each span between backticks
/// (serde's `` unknown variant `...` ``) or between double quotes (Rust's
/// `{:?}`, serde's `string "..."`) longer than [`ECHO_LIMIT`] characters is
/// cut as [`Echo`] cuts; then the whole message is cut after
/// [`MESSAGE_LIMIT`] characters. Control characters are escaped (`\n`), so
/// that the message stays on one line. A message that quotes nothing long
/// is returned as it is.
pub fn cap_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_LIMIT + 64));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let (before, from_quote) = rest.split_at(open);
        out.push_str(before);
        let quote = if from_quote.starts_with('`') {
            '`'
        } else {
            '"'
        };
        let inner = from_quote.get(1..).unwrap_or_default();
        let close = closing(inner, quote);
        let (span, after) = match close {
            Some(end) => (
                inner.get(..end).unwrap_or_default(),
                inner.get(end + 1..).unwrap_or_default(),
            ),
            None => (inner, ""),
        };
        out.push(quote);
        match cut(span, ECHO_LIMIT) {
            Some(start) => {
                out.push_str(start);
                out.push(quote);
                out.push_str(&format!("… ({} bytes)", span.len()));
            }
            None => {
                out.push_str(span);
                if close.is_some() {
                    out.push(quote);
                }
            }
        }
        rest = after;
    }
    out.push_str(rest);
    if out.contains(char::is_control) {
        // A raw line break or other control character (serde quotes an
        // unknown field's name as it is) would break the one-line message.
        out = out.chars().fold(String::new(), |mut escaped, c| {
            if c.is_control() {
                escaped.extend(c.escape_debug());
            } else {
                escaped.push(c);
            }
            escaped
        });
    }
    match cut(&out, MESSAGE_LIMIT) {
        Some(start) => format!("{start}… ({} bytes in all)", out.len()),
        None => out,
    }
}

/// The position in `inner` of the quote that closes a span opened by
/// `quote`: the next backtick; or the next double quote not escaped by a
/// backslash.
fn closing(inner: &str, quote: char) -> Option<usize> {
    if quote == '`' {
        return inner.find('`');
    }
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

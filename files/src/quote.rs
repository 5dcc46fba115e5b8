//! Quoting inputs in messages: a short excerpt, the rest counted. A message
//! about a 1 GB line or a 20,000-member zip must stay a message.

use std::fmt::Display;

/// At most `max_chars` characters of `text`, then how much was left out.
///
/// ```
/// use pathprobe_files::quote::excerpt;
/// assert_eq!(excerpt("short", 10), "short");
/// assert_eq!(excerpt(&"x".repeat(100), 4), "xxxx… (96 more characters)");
/// ```
pub fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let rest = text.get(cut..).unwrap_or_default().chars().count();
            format!(
                "{}… ({rest} more character{})",
                text.get(..cut).unwrap_or_default(),
                if rest == 1 { "" } else { "s" }
            )
        }
    }
}

/// Characters that act on a terminal or a reader instead of showing: the
/// control characters (escape sequences, bells, line breaks) and the
/// invisible format characters that reorder or hide text (bidirectional
/// overrides and isolates, zero-width characters, line and paragraph
/// separators, the byte-order mark).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// The first control character of `text`, in words for a message ("the
/// control character U+000A"): URL parsers drop tabs and line breaks
/// without a word, so every reader of a URL value refuses them first.
///
/// ```
/// use pathprobe_files::quote::control_character;
/// assert_eq!(control_character("http://a/\nb").as_deref(), Some("the control character U+000A"));
/// assert_eq!(control_character("http://a/"), None);
/// ```
pub fn control_character(text: &str) -> Option<String> {
    text.chars()
        .find(|c| c.is_control())
        .map(|c| format!("the control character U+{:04X}", u32::from(c)))
}

/// How a hidden character is written out: its code point, `<U+001B>`.
fn notation(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

/// `text` with its hidden characters ([`is_hidden`]) written out as
/// `<U+001B>`: text from a peer or a file that is shown, never obeyed, by a
/// terminal, and never reordered for the person reading it.
///
/// ```
/// use pathprobe_files::quote::visible;
/// assert_eq!(visible("a\u{1b}[2Jb"), "a<U+001B>[2Jb");
/// assert_eq!(visible("ok \u{202e}KO"), "ok <U+202E>KO");
/// assert_eq!(visible("plain"), "plain");
/// ```
pub fn visible(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_hidden(c) {
                notation(c)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whole output as a terminal may receive it: line feeds and tabs kept,
/// every other hidden character ([`is_hidden`]) written out as `<U+001B>`,
/// so that no escape sequence, bell, carriage return or direction override
/// from an input (a catalog cell, a PAC's answer, a proxy's page) acts on
/// the terminal. With `colour`, the colour sequences a table uses
/// (`ESC [ digits;… m`) pass; nothing else does.
///
/// ```
/// use pathprobe_files::quote::inert;
/// assert_eq!(inert("a\u{1b}]0;title\u{7}\nb\r", false), "a<U+001B>]0;title<U+0007>\nb<U+000D>");
/// assert_eq!(inert("\u{1b}[31mred\u{1b}[0m", true), "\u{1b}[31mred\u{1b}[0m");
/// assert_eq!(inert("\u{1b}[2J", true), "<U+001B>[2J");
/// ```
pub fn inert(text: &str, colour: bool) -> std::borrow::Cow<'_, str> {
    let harmless = |c: char| !is_hidden(c) || c == '\n' || c == '\t';
    let Some(first) = first_hidden(text) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(text.get(..first).unwrap_or_default());
    let mut rest = text.get(first..).unwrap_or_default();
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && colour
            && let Some(len) = colour_sequence(rest)
        {
            out.push_str(rest.get(..len).unwrap_or_default());
            rest = rest.get(len..).unwrap_or_default();
            continue;
        }
        if harmless(c) {
            out.push(c);
        } else {
            out.push_str(&notation(c));
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    std::borrow::Cow::Owned(out)
}

/// A JSON document as a terminal may receive it, and as a program reads
/// it back unchanged: every hidden character ([`is_hidden`]) other than
/// the line feeds, tabs and carriage returns between values is written as
/// the JSON escape `\u202E`. In a JSON text such characters stand only
/// inside strings, where the escape means the very same character: the
/// data is kept whole (round 21: `<U+202E>` replaced it), and nothing acts
/// on the terminal.
///
/// ```
/// use pathprobe_files::quote::json_inert;
/// assert_eq!(json_inert("{\"a\": \"ok \u{202e}KO\u{7f}\"}\n"), "{\"a\": \"ok \\u202eKO\\u007f\"}\n");
/// assert_eq!(json_inert("[1]"), "[1]");
/// ```
pub fn json_inert(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(first) = first_hidden(text) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(text.get(..first).unwrap_or_default());
    for c in text.get(first..).unwrap_or_default().chars() {
        if is_hidden(c) && !matches!(c, '\n' | '\t' | '\r') {
            // Every hidden character is in the Basic Multilingual Plane:
            // one escape, no surrogate pair.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Where the first character [`inert`] writes out is (a hidden one other
/// than a line break or tab). ASCII is decided byte by byte: most of a
/// report is ASCII, and a report of 50,000 endpoints is 80 MB.
fn first_hidden(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if !((0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t') {
                return Some(i);
            }
            i += 1;
        } else {
            let c = text.get(i..).and_then(|t| t.chars().next())?;
            if is_hidden(c) {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// `text` in quotes for a one-line message: at most 200 characters, its
/// hidden characters (line breaks included) written out, so that an input
/// quoted in a warning can never start a line of its own.
///
/// ```
/// use pathprobe_files::quote::quoted;
/// assert_eq!(quoted("PROXY a:1\nfake: line"), "\"PROXY a:1<U+000A>fake: line\"");
/// ```
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", visible(&excerpt(text, 200)))
}

/// The length of the colour sequence (`ESC [ digits and ; m`) `text` starts with.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// The first `max` items joined with ", ", then how many more there are.
///
/// ```
/// use pathprobe_files::quote::list;
/// assert_eq!(list(&["a", "b"], 3), "a, b");
/// assert_eq!(list(&["a", "b", "c", "d"], 2), "a, b and 2 more");
/// ```
pub fn list<T: Display>(items: &[T], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).map(ToString::to_string).collect();
    let rest = items.len().saturating_sub(max);
    let mut text = shown.join(", ");
    if rest > 0 {
        text.push_str(&format!(" and {rest} more"));
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {

    #[test]
    fn inert_writes_out_only_what_hides() {
        assert!(matches!(
            inert("a → b\tc\n", false),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            inert("é\u{202E}x\u{1b}[31m", false),
            "é<U+202E>x<U+001B>[31m"
        );
        assert_eq!(
            inert("\u{1b}[31mred\u{1b}[0m", true),
            "\u{1b}[31mred\u{1b}[0m"
        );
    }
    use super::*;

    #[test]
    fn excerpt_counts_characters_not_bytes() {
        assert_eq!(excerpt("ééé", 2), "éé… (1 more character)");
        assert_eq!(excerpt("ééé", 3), "ééé");
        assert_eq!(excerpt("", 0), "");
    }

    #[test]
    fn a_long_list_stays_short() {
        let many: Vec<usize> = (0..20_000).collect();
        let text = list(&many, 10);
        assert!(text.len() < 100, "{text}");
        assert!(text.ends_with("and 19990 more"), "{text}");
    }
}

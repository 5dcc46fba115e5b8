//! Reader errors in a person's words.
//!
//! serde's readers (JSON, TOML) describe a mismatch in Rust's terms: "invalid
//! type: sequence, expected u32", "unknown variant `bogus`, expected one of
//! `ok`, `timeout`". The person who edited a report or a scenario reads these.
//! [`serde_message`] says the same in the words of the file: "a list where a
//! whole number belongs", "\"bogus\" is not one of ok, timeout".
//!
//! ```
//! use pathprobe_files::words::serde_message;
//!
//! assert_eq!(
//!     serde_message("invalid type: sequence, expected u32 at line 3 column 9"),
//!     "a list where a whole number belongs (line 3, column 9)"
//! );
//! assert_eq!(
//!     serde_message("unknown variant `bogus`, expected `ok` or `timeout`"),
//!     "\"bogus\" is not one of: ok, timeout"
//! );
//! ```

/// `message` (a serde_json or toml error's text) with serde's phrases put in
/// words; text that is not one of them is kept as it is.
pub fn serde_message(message: &str) -> String {
    rewrite(message, true)
}

/// [`serde_message`] for a message whose line the caller names already
/// (a catalog error's location): only the column is kept.
pub fn serde_message_in_line(message: &str) -> String {
    rewrite(message, false)
}

fn rewrite(message: &str, with_line: bool) -> String {
    message
        .split('\n')
        .map(|line| {
            let (body, at) = split_location(line);
            let said = phrase(body).unwrap_or_else(|| body.to_owned());
            match at {
                Some((line, column)) if with_line => {
                    format!("{said} (line {line}, column {column})")
                }
                Some((_, column)) => format!("{said} (column {column})"),
                None => said,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// serde_json ends its messages with " at line L column C".
fn split_location(line: &str) -> (&str, Option<(&str, &str)>) {
    let Some((body, at)) = line.rsplit_once(" at line ") else {
        return (line, None);
    };
    match at.split_once(" column ") {
        Some((l, c))
            if !l.is_empty()
                && !c.is_empty()
                && l.bytes().all(|b| b.is_ascii_digit())
                && c.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (body, Some((l, c)))
        }
        _ => (line, None),
    }
}

fn phrase(body: &str) -> Option<String> {
    // toml's header line above its snippet.
    if let Some(at) = body.strip_prefix("TOML parse error at line ") {
        return Some(format!("line {at}:"));
    }
    // A number of the right kind out of its type's range: the range is the
    // point (round 21: a status of 99999 read "where a whole number
    // belongs").
    if let Some(rest) = body.strip_prefix("invalid value: integer ") {
        let (found, expected) = rest.split_once(", expected ")?;
        let range = match expected {
            "u8" => Some("0 to 255"),
            "u16" => Some("0 to 65535"),
            "u32" => Some("0 to 4294967295"),
            _ => None,
        };
        if let Some(range) = range {
            return Some(format!(
                "the number {} where a whole number from {range} belongs",
                found.trim_matches('`')
            ));
        }
    }
    if let Some(rest) = body
        .strip_prefix("invalid type: ")
        .or_else(|| body.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ")?;
        return Some(format!(
            "{} where {} belongs",
            found_words(found),
            expected_words(expected)
        ));
    }
    if let Some(rest) = body.strip_prefix("invalid length ") {
        let (found, expected) = rest.split_once(", expected ")?;
        return Some(format!(
            "{found} items where {} belongs",
            expected_words(expected)
        ));
    }
    if let Some(rest) = body.strip_prefix("unknown variant ") {
        let (name, known) = rest.split_once(", expected ")?;
        return Some(format!(
            "{} is not one of: {}",
            quoted_name(name),
            names(known)
        ));
    }
    if let Some(rest) = body.strip_prefix("unknown field ") {
        let (name, known) = rest
            .split_once(", expected ")
            .or_else(|| rest.split_once(", there are no fields"))
            .unwrap_or((rest, ""));
        let known = names(known);
        return Some(if known.is_empty() {
            format!("{} is no field here", quoted_name(name))
        } else {
            format!("{} is no field here (known: {known})", quoted_name(name))
        });
    }
    if let Some(name) = body.strip_prefix("missing field ") {
        return Some(format!("the field {} is missing", quoted_name(name)));
    }
    if let Some(name) = body.strip_prefix("duplicate field ") {
        return Some(format!("the field {} is given twice", quoted_name(name)));
    }
    let fixed = match body {
        "EOF while parsing a value" => "the text ends where a value should be",
        "EOF while parsing a list" => "the text ends inside a list (a \"]\" is missing)",
        "EOF while parsing an object" => "the text ends inside an object (a \"}\" is missing)",
        "EOF while parsing a string" => "the text ends inside a string (a quote is missing)",
        "expected value" => "a value that does not fit here, or no JSON value at all",
        "trailing characters" => "more text after the end of the document",
        "key must be a string" => "an object key that is not a string",
        "recursion limit exceeded" => "nested too deeply",
        "number out of range" => "a number too large to hold",
        "invalid number" => "not a number",
        "invalid escape" => "a backslash escape that JSON does not have",
        "expected `,` or `]`" => "a \",\" or \"]\" is missing",
        "expected `,` or `}`" => "a \",\" or \"}\" is missing",
        "expected `:`" => "a \":\" is missing after the key",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a control character inside a string (write it as \\uXXXX)"
        }
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            "a \\u escape that is not a whole character"
        }
        _ => return None,
    };
    Some(fixed.to_owned())
}

/// What serde found, as `Unexpected` writes it.
fn found_words(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for (prefix, what) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
        ("character ", "the character "),
    ] {
        if let Some(value) = found.strip_prefix(prefix) {
            let value = value.trim_matches('`');
            // A float serde writes out in full (1e300 as 301 digits) is
            // shown as it is usually written (round 22).
            let shown = match value.parse::<f64>() {
                Ok(n) if prefix == "floating point " && value.len() > 20 => format!("{n:e}"),
                _ => crate::quote::excerpt(value, 40),
            };
            return format!("{what}{shown}");
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        "null" => "null".into(),
        "unit value" | "unit" => "an empty value".into(),
        "string" => "text".into(),
        other => other.to_owned(),
    }
}

/// What serde expected: a Rust type or a visitor's own words.
fn expected_words(expected: &str) -> String {
    let said = match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "true or false",
        "a string" | "string" => "text",
        "a sequence" | "sequence" => "a list",
        "a map" | "map" => "an object",
        "a character" | "char" => "one character",
        _ => "",
    };
    if !said.is_empty() {
        return said.to_owned();
    }
    // The Rust type's name says nothing to the file's author.
    if expected.starts_with("struct ") {
        return "an object".to_owned();
    }
    if let Some(name) = expected.strip_prefix("enum ") {
        return format!("one of the names of {name}");
    }
    if let Some(rest) = expected.strip_prefix("tuple of ") {
        return format!("a list of {rest}");
    }
    expected.to_owned()
}

/// `` `name` `` as "name".
fn quoted_name(name: &str) -> String {
    format!("\"{}\"", name.trim().trim_matches('`'))
}

/// serde's "`a`, `b` or `c`" / "one of `a`, `b`" as "a, b, c".
fn names(list: &str) -> String {
    let list = list.trim().trim_start_matches("one of ");
    list.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, name)| name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_phrases_are_put_in_words() {
        for (given, said) in [
            (
                "invalid type: sequence, expected u32 at line 1 column 30",
                "a list where a whole number belongs (line 1, column 30)",
            ),
            (
                "invalid type: string \"x\", expected f64",
                "the text \"x\" where a number belongs",
            ),
            (
                "invalid type: map, expected a string at line 4 column 2",
                "an object where text belongs (line 4, column 2)",
            ),
            (
                "invalid value: integer `-5`, expected u32",
                "the number -5 where a whole number from 0 to 4294967295 belongs",
            ),
            // Round 22: 1e300 was written out in 301 digits.
            (
                &format!(
                    "invalid type: floating point `1{}.0`, expected i64",
                    "0".repeat(300)
                ),
                "the number 1e300 where a whole number belongs",
            ),
            (
                "invalid value: integer `99999`, expected u16",
                "the number 99999 where a whole number from 0 to 65535 belongs",
            ),
            (
                "unknown variant `bogus`, expected one of `ok`, `timeout`, `no_route`",
                "\"bogus\" is not one of: ok, timeout, no_route",
            ),
            (
                "unknown field `colour`, expected `name` or `port`",
                "\"colour\" is no field here (known: name, port)",
            ),
            (
                "missing field `results`",
                "the field \"results\" is missing",
            ),
            (
                "duplicate field `url` at line 2 column 9",
                "the field \"url\" is given twice (line 2, column 9)",
            ),
            (
                "EOF while parsing an object at line 1 column 1",
                "the text ends inside an object (a \"}\" is missing) (line 1, column 1)",
            ),
            (
                "expected value at line 1 column 1",
                "a value that does not fit here, or no JSON value at all (line 1, column 1)",
            ),
            (
                "recursion limit exceeded at line 1 column 129",
                "nested too deeply (line 1, column 129)",
            ),
        ] {
            assert_eq!(serde_message(given), said, "{given}");
        }
    }

    #[test]
    fn a_located_message_keeps_its_column() {
        assert_eq!(
            serde_message_in_line("missing field `name` at line 7 column 3"),
            "the field \"name\" is missing (column 3)"
        );
    }

    #[test]
    fn other_text_is_kept() {
        for kept in [
            "bundle format 9, this pathprobe reads format 1",
            "something at line of sight",
        ] {
            assert_eq!(serde_message(kept), kept);
        }
    }

    #[test]
    fn toml_reports_keep_their_snippet() {
        let given = "TOML parse error at line 2, column 7\n  |\n2 | port = [1]\n  |        ^^^\ninvalid type: sequence, expected u16\n";
        let said = serde_message(given);
        assert!(said.starts_with("line 2, column 7:\n"), "{said}");
        assert!(said.contains("2 | port = [1]"), "{said}");
        assert!(
            said.contains("a list where a whole number belongs"),
            "{said}"
        );
        assert!(!said.contains("u16"), "{said}");
    }
}

//! How deeply a script nests, measured before boa parses it.
//!
//! boa's parser, compiler and the syntax tree's destructor recurse once per
//! level of nesting, and a thread that runs out of stack aborts the whole
//! process: 400 nested parentheses did so on an 8 MiB main thread. A
//! scanner that only counts brackets would miss the other ways to nest
//! (`!!!!x`, `a?b:a?b:…`, `1+1+…`, `f()()()`, `else if` chains), so this
//! one estimates the depth of the syntax tree from the tokens: every open
//! bracket weighs [`BRACKET_WEIGHT`] plus one for the expression it sits in,
//! every operator and `else` one. Sibling statements, array elements and
//! call arguments do not add up.
//!
//! The estimate is an upper bound on the real depth (up to a small factor),
//! so [`MAX_DEPTH`] is set where real scripts never come (a 1,000-way `||`
//! chain of `dnsDomainIs` calls passes) and where boa, on the stack
//! [`STACK_BYTES`] gives it, still has room (measured on a debug build, which
//! uses several times the stack of a release build per level).

/// The stack the threads that parse and run scripts are given.
pub const STACK_BYTES: usize = 256 * 1024 * 1024;

/// The deepest estimate accepted.
pub const MAX_DEPTH: usize = 5_000;

/// How deeply the script is nested, in the words a message uses: the
/// limit as nested brackets (each weighs [`BRACKET_WEIGHT`] and one more
/// for its expression) and as operators in one chain (round 20: "more than
/// 5000 levels" was said where about 555 brackets had tripped it).
pub fn limit_words() -> String {
    format!(
        "more than the parser is given room for: about {} nested brackets, or {MAX_DEPTH} operators in one chain",
        MAX_DEPTH / (BRACKET_WEIGHT + 1)
    )
}

/// What an open bracket weighs against an operator (boa uses about eight
/// times the stack for a parenthesised level as for a binary operator).
pub const BRACKET_WEIGHT: usize = 8;

/// Where a script first nests past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// The estimate there.
    pub depth: usize,
}

/// One open bracket (or the top level).
struct Frame {
    /// The bracket that closes it (`None` for the top level).
    closer: Option<char>,
    /// Whether it is the `${…}` of a template literal.
    template: bool,
    /// Whether it is a block of statements (not an object literal).
    block: bool,
    /// Whether closing it ends a statement of the frame around it (an `if`
    /// or `else` block; not a function body, which may sit in an expression).
    statement: bool,
    /// Whether it is the parenthesis after `if`, `while`, `for`, … (a regex
    /// may follow its close).
    header: bool,
    /// Whether it is a grouping parenthesis (not a call's, not a header).
    grouping: bool,
    /// Operators since the last `,` or `;` of this frame.
    operators: usize,
    /// `else` keywords in this frame: an `else if` chain nests.
    elses: usize,
}

impl Frame {
    fn new(closer: Option<char>, template: bool) -> Self {
        Frame {
            closer,
            template,
            block: false,
            statement: false,
            header: false,
            grouping: false,
            operators: 0,
            elses: 0,
        }
    }

    fn weight(&self) -> usize {
        let own = if self.closer.is_some() {
            BRACKET_WEIGHT
        } else {
            0
        };
        own + self.operators + self.elses
    }
}

const PUNCTUATORS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "<<", ">>", "**", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":",
    ".",
];

const OPERATOR_WORDS: &[&str] = &[
    "typeof",
    "void",
    "delete",
    "new",
    "in",
    "instanceof",
    "await",
    "yield",
];

/// Scans `source`; the first place where the estimate passes `max`.
pub fn check(source: &str, max: usize) -> Option<TooDeep> {
    let chars: Vec<char> = source.chars().collect();
    let mut scan = Scanner {
        chars: &chars,
        at: 0,
        line: 1,
        column: 1,
    };
    let mut frames = vec![Frame::new(None, false)];
    // The running sum of the frames' weights, kept in step with `frames`.
    let mut depth = 0usize;
    // Whether a `/` here would divide (after a value) or start a regex.
    let mut after_value = false;
    // Whether a `{` here opens a block of statements (else an object).
    let mut block_next = true;
    // Whether that block would be a statement's (see `Frame::statement`).
    let mut statement_next = true;
    // Whether the last word was `if`, `while`, … (a header parenthesis next).
    let mut header_next = false;
    macro_rules! operator {
        () => {{
            if let Some(top) = frames.last_mut() {
                top.operators += 1;
            }
            depth += 1;
        }};
    }
    while let Some(c) = scan.peek(0) {
        let (line, column) = (scan.line, scan.column);
        if c.is_whitespace() {
            scan.bump(1);
            continue;
        }
        if c == '/' && scan.peek(1) == Some('/') {
            // JavaScript ends a line comment at any line terminator.
            while scan
                .peek(0)
                .is_some_and(|c| !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'))
            {
                scan.bump(1);
            }
            continue;
        }
        if c == '/' && scan.peek(1) == Some('*') {
            scan.bump(2);
            while scan.peek(0).is_some()
                && !(scan.peek(0) == Some('*') && scan.peek(1) == Some('/'))
            {
                scan.bump(1);
            }
            scan.bump(2);
            continue;
        }
        // Only the token right after `if`, `while`, … opens a header.
        let header_here = std::mem::take(&mut header_next);
        if c == '\'' || c == '"' {
            scan.string(c);
            after_value = true;
            block_next = false;
            continue;
        }
        if c == '`' {
            scan.bump(1);
            // f`a``b``c`: each template after a value is a call of it.
            if after_value {
                if let Some(top) = frames.last_mut() {
                    top.operators += 1;
                }
                depth += 1;
            }
            if scan.template_part() {
                frames.push(Frame::new(Some('}'), true));
                depth += BRACKET_WEIGHT;
            }
            after_value = true;
            if depth > max {
                return Some(TooDeep {
                    line,
                    column,
                    depth,
                });
            }
            continue;
        }
        if c == '/' && !after_value {
            scan.regex();
            after_value = true;
            block_next = false;
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '$' || c == '\\' {
            let start = scan.at;
            while scan
                .peek(0)
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '\\')
            {
                scan.bump(1);
            }
            let word: String = chars
                .get(start..scan.at)
                .map(|w| w.iter().collect())
                .unwrap_or_default();
            block_next = matches!(word.as_str(), "else" | "do" | "try" | "finally");
            statement_next = block_next;
            let header_word = matches!(
                word.as_str(),
                "if" | "while" | "for" | "with" | "switch" | "catch"
            );
            header_next = header_word;
            // `else`, `do` and `extends` nest what follows them, and a
            // `;` does not end that: they count until their frame closes.
            if matches!(word.as_str(), "else" | "do" | "extends") {
                if let Some(top) = frames.last_mut() {
                    top.elses += 1;
                }
                depth += 1;
                after_value = false;
            } else if OPERATOR_WORDS.contains(&word.as_str()) {
                operator!();
                after_value = false;
            } else {
                // `return /x/` is a regex; other keywords before `/` are rare.
                after_value = word != "return";
            }
        } else {
            match c {
                '(' | '[' | '{' => {
                    scan.bump(1);
                    let block = c == '{' && block_next;
                    let value_before = after_value;
                    let statement = block && statement_next;
                    let header = c == '(' && header_here;
                    // A call, an index or an object literal sits in the
                    // expression around it; a block does not.
                    if !block {
                        operator!();
                    }
                    let closer = match c {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    };
                    let mut frame = Frame::new(Some(closer), false);
                    frame.block = block;
                    frame.statement = statement;
                    frame.header = header;
                    frame.grouping = c == '(' && !header && !value_before;
                    frames.push(frame);
                    depth += BRACKET_WEIGHT;
                    after_value = false;
                    block_next = block;
                    statement_next = block;
                }
                ')' | ']' | '}' => {
                    scan.bump(1);
                    // After `)` or `]` a `/` divides; after an object literal or
                    // a template too; after a block or an `if (…)` it starts
                    // a regex.
                    after_value = c != '}';
                    statement_next = false;
                    // A stray closer is the parser's to report; keep the top level.
                    if frames.len() > 1
                        && let Some(frame) = frames.pop()
                    {
                        depth = depth.saturating_sub(frame.weight());
                        after_value = match c {
                            '}' => !frame.block || frame.template,
                            _ => !frame.header,
                        };
                        statement_next = frame.header || frame.statement;
                        if frame.statement
                            && let Some(top) = frames.last_mut()
                        {
                            // A block ends a statement of the frame around it.
                            depth = depth.saturating_sub(top.operators);
                            top.operators = 0;
                        }
                        if frame.template && scan.template_part() {
                            frames.push(frame_reset(frame));
                            depth += BRACKET_WEIGHT;
                        }
                    }
                    // `if (…) {`, `function f() {`, `} {`: blocks follow.
                    block_next = c == ')' || c == '}';
                }
                // A comma inside grouping parentheses is the comma operator,
                // which nests: (1,1,1,…). Elsewhere it separates siblings.
                ',' if frames.last().is_some_and(|f| f.grouping) => {
                    scan.bump(1);
                    operator!();
                    after_value = false;
                    block_next = false;
                }
                ',' | ';' => {
                    scan.bump(1);
                    if let Some(top) = frames.last_mut() {
                        depth = depth.saturating_sub(top.operators);
                        top.operators = 0;
                    }
                    after_value = false;
                    block_next = c == ';';
                }
                _ => {
                    let punct = PUNCTUATORS.iter().find(|p| {
                        p.chars()
                            .enumerate()
                            .all(|(i, pc)| scan.peek(i) == Some(pc))
                    });
                    match punct {
                        Some(p) => {
                            scan.bump(p.chars().count());
                            operator!();
                            // `x++ / 2` divides; other operators expect a value.
                            after_value = matches!(*p, "++" | "--");
                            block_next = *p == "=>";
                        }
                        None => {
                            scan.bump(1);
                            after_value = true;
                            block_next = false;
                        }
                    }
                }
            }
        }
        if depth > max {
            return Some(TooDeep {
                line,
                column,
                depth,
            });
        }
    }
    None
}

fn frame_reset(frame: Frame) -> Frame {
    Frame::new(frame.closer, frame.template)
}

struct Scanner<'a> {
    chars: &'a [char],
    at: usize,
    line: u32,
    column: u32,
}

impl Scanner<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self, n: usize) {
        for _ in 0..n {
            match self.peek(0) {
                Some('\n') => {
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                }
                Some(_) => self.column = self.column.saturating_add(1),
                None => return,
            }
            self.at += 1;
        }
    }

    /// Skips a quoted string (the opening quote is next).
    fn string(&mut self, quote: char) {
        self.bump(1);
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => self.bump(2),
                '\n' => return,
                c if c == quote => {
                    self.bump(1);
                    return;
                }
                _ => self.bump(1),
            }
        }
    }

    /// Skips template text up to the closing backtick (false) or to a `${`
    /// (true, with the `${` consumed).
    fn template_part(&mut self) -> bool {
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => self.bump(2),
                '`' => {
                    self.bump(1);
                    return false;
                }
                '$' if self.peek(1) == Some('{') => {
                    self.bump(2);
                    return true;
                }
                _ => self.bump(1),
            }
        }
        false
    }

    /// Skips a regular expression literal and its flags.
    fn regex(&mut self) {
        self.bump(1);
        let mut class = false;
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => self.bump(2),
                '\n' => return,
                '[' => {
                    class = true;
                    self.bump(1);
                }
                ']' => {
                    class = false;
                    self.bump(1);
                }
                '/' if !class => {
                    self.bump(1);
                    while self.peek(0).is_some_and(char::is_alphanumeric) {
                        self.bump(1);
                    }
                    return;
                }
                _ => self.bump(1),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn depth_of(source: &str) -> usize {
        // The smallest limit that accepts it.
        let mut low = 0;
        let mut high = source.chars().count() * (BRACKET_WEIGHT + 2) + 1;
        while low < high {
            let mid = (low + high) / 2;
            if check(source, mid).is_none() {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    }

    #[test]
    fn real_scripts_are_shallow() {
        let script = r#"
            // A comment with ((((( and a "quote
            /* block ((( */
            function FindProxyForURL(url, host) {
                var list = ["a.example", "b.example", "c.example"];
                if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) {
                    return "DIRECT";
                } else if (shExpMatch(url, "http://*/(((*")) {
                    return /\((((/.test(url) ? "PROXY a:1" : `PROXY ${host}:8080`;
                }
                return "PROXY proxy.corp.example:3128; DIRECT";
            }
        "#;
        let d = depth_of(script);
        assert!(d < 60, "{d}");
    }

    #[test]
    fn siblings_do_not_add_up() {
        let many: Vec<String> = (0..5000).map(|i| format!("\"h{i}.example\"")).collect();
        let array = format!("var a = [{}];", many.join(", "));
        assert!(depth_of(&array) < 30, "{}", depth_of(&array));
        let statements = "if (a) { return 1; }\n".repeat(5000);
        assert!(depth_of(&statements) < 30);
    }

    #[test]
    fn a_long_or_chain_of_real_size_passes() {
        let alternatives: Vec<String> = (0..1000)
            .map(|i| format!("dnsDomainIs(host, \".d{i}.example\")"))
            .collect();
        let script = format!(
            "function FindProxyForURL(url, host) {{ if ({}) return 'DIRECT'; return 'PROXY p:1'; }}",
            alternatives.join(" || ")
        );
        assert!(check(&script, MAX_DEPTH).is_none());
    }

    #[test]
    fn every_way_to_nest_is_counted_with_its_place() {
        let n = 3000;
        let cases = [
            format!("x = {}1{};", "(".repeat(n), ")".repeat(n)),
            format!("x = {}{};", "[".repeat(n), "]".repeat(n)),
            format!("x = {}{};", "{a:".repeat(n), "}".repeat(n)),
            format!("x = {}true;", "!".repeat(n * 2)),
            format!("x = {}2;", "h?1:".repeat(n)),
            format!("x = 1{};", "+1".repeat(n * 2)),
            format!("x = f{};", "()".repeat(n * 2)),
            format!("x = a{};", ".b".repeat(n * 2)),
            format!("x = {}2;", "y=".repeat(n * 2)),
            format!("if (a) b; {}", "else if (a) b; ".repeat(n * 2)),
            format!("if (a) {{}} {}", "else if (a) {{ b; }} ".repeat(n * 2)),
            format!("x = `{}`;", "${`".repeat(n)),
            // Division after an object literal or a template, not a regex.
            format!("x = {{}} / 1 + {}1{} / 2;", "(".repeat(n), ")".repeat(n)),
            format!(
                "x = `${{a}}` / 1 + {}1{} / 2;",
                "(".repeat(n),
                ")".repeat(n)
            ),
            // A regex after `if (…)`, holding what looks like a comment.
            format!(
                "if (a) /[/*]/.test(b); x = {}1{}; // */",
                "(".repeat(n),
                ")".repeat(n)
            ),
            // A line comment ends at a carriage return.
            format!("//\r x = {}1{};", "(".repeat(n), ")".repeat(n)),
            // Functions inside an expression do not end a statement.
            format!("x = {}1;", "a ? () => {} : ".repeat(n * 2)),
            format!("x = 1{};", " + function () {}".repeat(n * 2)),
            // Found by a hostile round: the comma operator, tagged
            // templates, do-while chains, class heritage.
            format!("x = (1{});", ",1".repeat(n * 2)),
            format!("x = f{};", "`x`".repeat(n * 2)),
            format!("{}x;{}", "do ".repeat(n * 2), " while(0);".repeat(n * 2)),
            format!(
                "x = {}Object{};",
                "class extends ".repeat(n * 2),
                " {}".repeat(n * 2)
            ),
        ];
        for case in cases {
            let script = format!("var z = 1;\n  {case}");
            let found = check(&script, MAX_DEPTH);
            let found = found.unwrap_or_else(|| panic_free_fail(&script));
            assert_eq!(found.line, 2, "{}", &script[..40]);
            assert!(found.column >= 3);
            assert!(found.depth > MAX_DEPTH);
        }
    }

    fn panic_free_fail(script: &str) -> TooDeep {
        let head: String = script.chars().take(40).collect();
        unreachable!("not found too deep: {head}")
    }
}

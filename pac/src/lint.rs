//! `pac lint`: the mistakes that make PAC files slow, fragile or wrong.
//!
//! The checks read the script's syntax tree (boa's parser) without running it.
//! Each finding names the line, what is wrong, and what to write instead. They
//! come from what breaks in the field: a rule that can end without returning
//! (clients then fail the request or fall back silently), `isInNet(host, …)`
//! on a name (one DNS lookup per URL, hidden), DNS lookups placed before the
//! cheap name checks, rules that can never run, and string comparisons that can
//! never match because browsers lower-case the host.

use std::ops::ControlFlow;

use boa_engine::ast::declaration::{Binding, Declaration};
use boa_engine::ast::expression::literal::LiteralKind;
use boa_engine::ast::expression::operator::binary::{BinaryOp, RelationalOp};
use boa_engine::ast::expression::{Call, Expression};
use boa_engine::ast::function::FunctionDeclaration;
use boa_engine::ast::scope::Scope;
use boa_engine::ast::statement::Statement;
use boa_engine::ast::visitor::{VisitWith, Visitor};
use boa_engine::ast::{Spanned, StatementListItem};
use boa_engine::interner::{Interner, Sym};
use boa_engine::parser::{Parser, Source};
use serde::Serialize;

use crate::helpers;
use crate::route::{RouteError, parse_pac_result};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; not wrong.
    Info,
    /// Works, but slowly, fragilely, or not as the author meant.
    Warning,
    /// Clients fail on this script or on some URLs.
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// One problem found in a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// Stable identifier of the check (`hidden-dns`, `missing-return`, ...).
    pub code: &'static str,
    /// 1-based line (0 when the script as a whole is meant).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// What to do instead.
    pub hint: String,
}

/// Helpers that make a DNS lookup whatever their argument.
const DNS_HELPERS: &[&str] = &[
    "dnsResolve",
    "dnsResolveEx",
    "isResolvable",
    "isResolvableEx",
];
/// Helpers that only look at strings: cheap.
const NAME_HELPERS: &[&str] = &[
    "isPlainHostName",
    "dnsDomainIs",
    "localHostOrDomainIs",
    "shExpMatch",
    "dnsDomainLevels",
];

/// Checks a script and returns what it found, most serious first, then by line.
pub fn lint(source: &str) -> Vec<Finding> {
    if let Some((line, column)) = crate::engine::nul_at(source) {
        return vec![Finding {
            severity: Severity::Error,
            code: "syntax",
            line,
            column,
            message: crate::engine::NUL_MESSAGE.into(),
            hint: "save the script as text again; a NUL byte is no JavaScript".into(),
        }];
    }
    if let Some(deep) = crate::nesting::check(source, crate::nesting::MAX_DEPTH) {
        return vec![Finding {
            severity: Severity::Error,
            code: "nesting",
            line: deep.line,
            column: deep.column,
            message: format!(
                "the script nests too deeply here ({})",
                crate::nesting::limit_words()
            ),
            hint:
                "split the expression: no client is sure to evaluate it, and pathprobe does not try"
                    .into(),
        }];
    }
    // boa's parser recurses per level: give it the stack the limit assumes.
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("pac-lint".into())
            .stack_size(crate::nesting::STACK_BYTES)
            .spawn_scoped(scope, || lint_parsed(source))
        {
            Ok(thread) => thread.join().unwrap_or_default(),
            // No thread to be had (a process limit): this one will do.
            Err(_) => lint_parsed(source),
        }
    })
}

fn lint_parsed(source: &str) -> Vec<Finding> {
    let mut interner = Interner::default();
    let scope = Scope::new_global();
    let script = match Parser::new(Source::from_bytes(source)).parse_script(&scope, &mut interner) {
        Ok(script) => script,
        Err(e) => {
            let message = e.to_string();
            let (line, column) = position_in(&message);
            return vec![Finding {
                severity: Severity::Error,
                code: "syntax",
                line,
                column,
                message: format!("the script does not parse: {message}"),
                hint: "fix the syntax; every client refuses the whole file".into(),
            }];
        }
    };
    let mut lint = Lint {
        interner: &interner,
        source,
        findings: Vec::new(),
        host_names: vec!["host".to_owned()],
    };
    let items = script.statements().statements();
    let entries: Vec<(String, &FunctionDeclaration)> = items
        .iter()
        .filter_map(|item| match item {
            StatementListItem::Declaration(d) => match d.as_ref() {
                Declaration::FunctionDeclaration(f) => {
                    let name = lint.name(f.name().sym());
                    matches!(name.as_str(), "FindProxyForURL" | "FindProxyForURLEx")
                        .then_some((name, f))
                }
                _ => None,
            },
            StatementListItem::Statement(_) => None,
        })
        .collect();
    if entries.is_empty() {
        let assigned = source.contains("FindProxyForURL");
        lint.findings.push(Finding {
            severity: if assigned {
                Severity::Warning
            } else {
                Severity::Error
            },
            code: "no-entry-point",
            line: 0,
            column: 0,
            message: if assigned {
                "FindProxyForURL is not declared as `function FindProxyForURL(url, host)`; some clients only find it in that form".into()
            } else {
                "the script defines no FindProxyForURL function; every client ignores it".into()
            },
            hint: "declare `function FindProxyForURL(url, host) { ... }` at the top level".into(),
        });
    }
    for (name, function) in &entries {
        lint.entry_point(name, function);
    }
    lint.unreachable(items);
    let mut calls = CallCollector::default();
    let _ = script.visit_with(&mut calls);
    for call in calls.calls {
        lint.call(call);
    }
    for (line, column, text) in returned_literals(&script, &interner) {
        lint.route_literal(line, column, &text);
    }
    let mut compares = CompareCollector::default();
    let _ = script.visit_with(&mut compares);
    for (line, column, ident, text) in compares.found {
        let ident = lint.name(ident);
        let text = lint.name(text);
        if lint.host_names.contains(&ident) && text.chars().any(|c| c.is_ascii_uppercase()) {
            lint.findings.push(Finding {
                severity: Severity::Warning,
                code: "uppercase-host",
                line,
                column,
                message: format!(
                    "`{ident}` is compared with \"{text}\", which has capital letters; the host a browser passes is always lower-case, so this never matches"
                ),
                hint: format!("compare with \"{}\"", text.to_ascii_lowercase()),
            });
        }
    }
    let mut findings = lint.findings;
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    findings.dedup();
    findings
}

/// `... at line L, col C` in a parser message.
fn position_in(message: &str) -> (u32, u32) {
    message
        .rfind(" at line ")
        .and_then(|at| {
            let rest = message.get(at + " at line ".len()..)?;
            let (line, col) = rest.split_once(", col ")?;
            let col: String = col.chars().take_while(char::is_ascii_digit).collect();
            Some((line.trim().parse().ok()?, col.parse().ok()?))
        })
        .unwrap_or((0, 0))
}

struct Lint<'a> {
    interner: &'a Interner,
    source: &'a str,
    findings: Vec<Finding>,
    /// Names that hold the host inside the entry points.
    host_names: Vec<String>,
}

impl Lint<'_> {
    fn name(&self, sym: Sym) -> String {
        self.interner
            .resolve(sym)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn callee(&self, call: &Call) -> Option<String> {
        match call.function() {
            Expression::Identifier(id) => Some(self.name(id.sym())),
            _ => None,
        }
    }

    fn string_literal(&self, e: &Expression) -> Option<String> {
        match e {
            Expression::Literal(l) => match l.kind() {
                LiteralKind::String(sym) => Some(self.name(*sym)),
                _ => None,
            },
            _ => None,
        }
    }

    fn entry_point(&mut self, name: &str, function: &FunctionDeclaration) {
        let params = function.parameters().as_ref();
        if let Some(Binding::Identifier(id)) = params.get(1).map(|p| p.variable().binding()) {
            let host = self.name(id.sym());
            if !self.host_names.contains(&host) {
                self.host_names.push(host);
            }
        }
        let body = function.body();
        let (line, column) = start_of(body.span());
        let statements = body.statements();
        if !list_always_returns(statements) {
            self.findings.push(Finding {
                severity: Severity::Error,
                code: "missing-return",
                line,
                column,
                message: format!(
                    "{name} can reach its end without returning; clients then get undefined for those URLs and fail or go direct, depending on the client"
                ),
                hint: "end the function with a default, e.g. `return \"PROXY proxy.example:3128; DIRECT\";`".into(),
            });
        }
        let names: Vec<String> = params
            .iter()
            .filter_map(|p| match p.variable().binding() {
                Binding::Identifier(id) => Some(self.name(id.sym())),
                Binding::Pattern(_) => None,
            })
            .collect();
        self.dns_order(statements, &names);
        self.empty_returns(name, statements);
    }

    /// A DNS lookup that runs for every URL before checks that need none.
    fn dns_order(&mut self, statements: &[StatementListItem], params: &[String]) {
        let mut first_dns: Option<(u32, u32, String)> = None;
        let mut later_cheap = Vec::new();
        for item in statements {
            let mut calls = CallCollector::default();
            let mut condition = false;
            match item {
                StatementListItem::Statement(stmt) => {
                    condition = matches!(stmt.as_ref(), Statement::If(_));
                    let _ = unconditional_part(stmt, &mut calls);
                }
                // `let ip = dnsResolve(host);` runs for every URL as `var` does
                // (round 21: only `var` was seen).
                StatementListItem::Declaration(d) => match d.as_ref() {
                    Declaration::Lexical(lexical) => {
                        let _ = lexical.visit_with(&mut calls);
                    }
                    _ => continue,
                },
            }
            let dns = calls.calls.iter().find_map(|c| {
                let name = self.callee(c)?;
                let hidden = name == "isInNet" && self.is_hidden_lookup(c);
                (DNS_HELPERS.contains(&name.as_str()) || hidden).then(|| {
                    let (l, col) = start_of(c.span());
                    (l, col, name)
                })
            });
            match (&first_dns, dns) {
                (None, Some(found)) => first_dns = Some(found),
                (Some(_), None) => {
                    // A check of the name or the URL needs no lookup: a
                    // helper that reads strings, or a test of the parameters
                    // themselves (`host == "intranet"`, `url.substring(…)`).
                    let cheap_call = calls.calls.iter().find(|c| {
                        self.callee(c)
                            .is_some_and(|n| NAME_HELPERS.contains(&n.as_str()))
                    });
                    let on_params = calls
                        .idents
                        .iter()
                        .filter(|_| condition)
                        .find(|(sym, _)| params.contains(&self.name(*sym)));
                    let at = cheap_call
                        .map(|c| start_of(c.span()).0)
                        .or(on_params.map(|(_, line)| *line));
                    if let Some(line) = at {
                        later_cheap.push(line);
                    }
                }
                _ => {}
            }
        }
        if let Some((line, column, name)) = first_dns
            && !later_cheap.is_empty()
        {
            let lines: Vec<String> = later_cheap.iter().map(u32::to_string).collect();
            self.findings.push(Finding {
                severity: Severity::Warning,
                code: "dns-before-name-checks",
                line,
                column,
                message: format!(
                    "{name}() on line {line} runs a DNS lookup for every URL before the name checks on line(s) {}; a slow or failing DNS server delays or changes every answer",
                    lines.join(", ")
                ),
                hint: "put the checks that only look at the name (shExpMatch, dnsDomainIs, isPlainHostName) first, and resolve only for the URLs that reach the address rules".into(),
            });
        }
    }

    /// Returns that give clients no text: the URLs reaching them go
    /// direct in Chromium and fail in other clients.
    fn empty_returns(&mut self, name: &str, statements: &[StatementListItem]) {
        for (line, column, bare) in empty_returns(statements, self.interner, self.source) {
            self.findings.push(Finding {
                severity: Severity::Error,
                code: "no-route-returned",
                line,
                column,
                message: if bare {
                    format!("`return;` gives {name}'s caller undefined, no route: clients then connect directly (Chromium does) or fail, depending on the client")
                } else {
                    format!("{name} returns a value that is no text here, so no route: clients then connect directly (Chromium does) or fail, depending on the client")
                },
                hint: "return a route as text, e.g. `return \"DIRECT\";` or `return \"PROXY proxy.example:3128\";`".into(),
            });
        }
    }

    /// `isInNet(x, …)` where `x` is a name: the helper resolves it silently.
    fn is_hidden_lookup(&self, call: &Call) -> bool {
        match call.args().first() {
            Some(Expression::Identifier(id)) => self.host_names.contains(&self.name(id.sym())),
            Some(e) => self
                .string_literal(e)
                .is_some_and(|s| helpers::dotted_quad(&s).is_none()),
            None => false,
        }
    }

    fn call(&mut self, call: &Call) {
        let Some(name) = self.callee(call) else {
            return;
        };
        let (line, column) = start_of(call.span());
        let args = call.args();
        match name.as_str() {
            "isInNet"
                if args.len() != 3
                    || args
                        .get(1..3)
                        .into_iter()
                        .flatten()
                        .filter_map(|e| self.string_literal(e))
                        .any(|t| {
                            t.is_empty()
                                || !t.split('.').all(|p| {
                                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
                                })
                        }) =>
            {
                self.findings.push(Finding {
                    severity: Severity::Error,
                    code: "bad-net",
                    line,
                    column,
                    message: "isInNet() takes a host, a network and a mask, the network and the mask as dotted quads (\"10.0.0.0\", \"255.0.0.0\"); with a CIDR or a missing mask clients disagree (Chromium answers false, others throw)".into(),
                    hint: "write isInNet(host, \"10.0.0.0\", \"255.0.0.0\"), or isInNetEx(ip, \"10.0.0.0/8\") where clients support it".into(),
                });
            }
            "isInNet" if self.is_hidden_lookup(call) => self.findings.push(Finding {
                severity: Severity::Warning,
                code: "hidden-dns",
                line,
                column,
                message: "isInNet() is given a name, so it resolves it: a DNS lookup on every call, invisible in the script, and the rule silently fails when DNS does".into(),
                hint: "resolve once (`var ip = dnsResolve(host);`), check `ip` is not null, and pass `ip` to isInNet; or match names with dnsDomainIs first".into(),
            }),
            "dnsDomainIs" => {
                if let Some(domain) = args.get(1).and_then(|e| self.string_literal(e)) {
                    if !domain.is_empty() && !domain.starts_with('.') {
                        self.findings.push(Finding {
                            severity: Severity::Warning,
                            code: "domain-without-dot",
                            line,
                            column,
                            message: format!(
                                "dnsDomainIs(…, \"{domain}\") is a plain suffix test: it also matches \"not{domain}\""
                            ),
                            hint: format!(
                                "use \".{domain}\" for the subdomains, plus `host == \"{domain}\"` if the name itself is meant"
                            ),
                        });
                    }
                    self.uppercase_literal(line, column, &name, &domain, args.first());
                }
            }
            "shExpMatch" => {
                if let Some(pattern) = args.get(1).and_then(|e| self.string_literal(e)) {
                    if pattern.contains(['[', ']', '(', ')', '|', '+', '^', '$', '{', '}', '\\']) {
                        self.findings.push(Finding {
                            severity: Severity::Info,
                            code: "regex-in-shexp",
                            line,
                            column,
                            message: format!(
                                "the pattern \"{pattern}\" holds regular-expression characters; browsers treat them as a regular expression, other clients as literal text"
                            ),
                            hint: "use only `*` and `?` in shExpMatch patterns, or several shExpMatch calls".into(),
                        });
                    }
                    self.uppercase_literal(line, column, &name, &pattern, args.first());
                }
            }
            "localHostOrDomainIs" => {
                if let Some(text) = args.get(1).and_then(|e| self.string_literal(e)) {
                    self.uppercase_literal(line, column, &name, &text, args.first());
                }
            }
            _ => {}
        }
    }

    fn uppercase_literal(
        &mut self,
        line: u32,
        column: u32,
        helper: &str,
        text: &str,
        subject: Option<&Expression>,
    ) {
        let on_host = matches!(subject, Some(Expression::Identifier(id)) if self.host_names.contains(&self.name(id.sym())));
        if on_host && text.chars().any(|c| c.is_ascii_uppercase()) {
            self.findings.push(Finding {
                severity: Severity::Warning,
                code: "uppercase-host",
                line,
                column,
                message: format!(
                    "{helper}() compares the host with \"{text}\", which has capital letters; the host a browser passes is always lower-case, so this never matches"
                ),
                hint: format!("write \"{}\"", text.to_ascii_lowercase()),
            });
        }
    }

    /// Statements after one that always returns, in every statement list.
    fn unreachable(&mut self, items: &[StatementListItem]) {
        let mut returned_at: Option<u32> = None;
        for item in items {
            match item {
                StatementListItem::Declaration(d) => {
                    if let Declaration::FunctionDeclaration(f) = d.as_ref() {
                        self.unreachable(f.body().statements());
                    }
                }
                StatementListItem::Statement(stmt) => {
                    if let Some(ret) = returned_at
                        && !matches!(stmt.as_ref(), Statement::Empty)
                    {
                        let (line, column) = first_position(stmt).unwrap_or((ret, 0));
                        self.findings.push(Finding {
                            severity: Severity::Warning,
                            code: "unreachable",
                            line,
                            column,
                            message: format!(
                                "this rule can never run: every path above it has already returned (line {ret})"
                            ),
                            hint: "move the rule above the return that ends the function, or delete it".into(),
                        });
                        // One finding per list is enough to point at the problem.
                        returned_at = None;
                        continue;
                    }
                    self.nested_lists(stmt);
                    if returned_at.is_none() && stmt_always_returns(stmt) {
                        returned_at = Some(first_position(stmt).map_or(0, |p| p.0));
                        if returned_at == Some(0) {
                            returned_at = Some(1);
                        }
                    }
                }
            }
        }
    }

    fn nested_lists(&mut self, stmt: &Statement) {
        match stmt {
            Statement::Block(b) => self.unreachable(b.statement_list().statements()),
            Statement::If(i) => {
                self.nested_lists(i.body());
                if let Some(e) = i.else_node() {
                    self.nested_lists(e);
                }
            }
            Statement::Try(t) => {
                self.unreachable(t.block().statement_list().statements());
                if let Some(c) = t.catch() {
                    self.unreachable(c.block().statement_list().statements());
                }
            }
            _ => {}
        }
    }

    fn route_literal(&mut self, line: u32, column: u32, text: &str) {
        match parse_pac_result(text) {
            Ok(parsed) => {
                for w in parsed.warnings {
                    self.findings.push(Finding {
                        severity: Severity::Warning,
                        code: "bad-route",
                        line,
                        column,
                        message: format!("the entry \"{}\" of \"{text}\" is not a route clients understand ({}); they skip it", w.raw, w.reason),
                        hint: "write entries as `DIRECT`, `PROXY host:port`, `HTTPS host:port` or `SOCKS5 host:port`, separated by `;`".into(),
                    });
                }
            }
            Err(e) => self.findings.push(Finding {
                severity: Severity::Error,
                code: "bad-route",
                line,
                column,
                message: match e {
                    RouteError::Empty => {
                        "an empty string is returned: no route; clients then connect directly (Chromium does), around the proxy".into()
                    }
                    RouteError::NoUsableRoute { raw } => {
                        format!("\"{raw}\" holds no route clients understand; they then connect directly (Chromium does), around the proxy")
                    }
                },
                hint: "return `DIRECT` or `PROXY host:port` entries separated by `;`".into(),
            }),
        }
    }
}

fn start_of(span: boa_engine::ast::Span) -> (u32, u32) {
    (span.start().line_number(), span.start().column_number())
}

/// Where a statement starts, from the first expression in it.
fn first_position(stmt: &Statement) -> Option<(u32, u32)> {
    struct First(Option<(u32, u32)>);
    impl<'ast> Visitor<'ast> for First {
        type BreakTy = ();
        fn visit_expression(&mut self, node: &'ast Expression) -> ControlFlow<()> {
            self.0 = Some(start_of(node.span()));
            ControlFlow::Break(())
        }
    }
    let mut first = First(None);
    let _ = stmt.visit_with(&mut first);
    first.0
}

/// Visits the part of a statement that runs whatever the URL: the whole of
/// an expression or declaration, only the condition of an `if`.
fn unconditional_part<'a>(stmt: &'a Statement, v: &mut CallCollector<'a>) -> ControlFlow<()> {
    match stmt {
        Statement::If(i) => i.cond().visit_with(v),
        Statement::Expression(_) | Statement::Var(_) | Statement::Return(_) => stmt.visit_with(v),
        _ => ControlFlow::Continue(()),
    }
}

fn list_always_returns(items: &[StatementListItem]) -> bool {
    items.iter().any(|item| match item {
        StatementListItem::Statement(s) => stmt_always_returns(s),
        StatementListItem::Declaration(_) => false,
    })
}

/// Whether every path through the statement returns or throws.
fn stmt_always_returns(stmt: &Statement) -> bool {
    match stmt {
        Statement::Return(_) | Statement::Throw(_) => true,
        Statement::Block(b) => list_always_returns(b.statement_list().statements()),
        Statement::If(i) => {
            stmt_always_returns(i.body()) && i.else_node().is_some_and(stmt_always_returns)
        }
        Statement::Try(t) => {
            let finally = t
                .finally()
                .is_some_and(|f| list_always_returns(f.block().statement_list().statements()));
            let body = list_always_returns(t.block().statement_list().statements());
            let handler = t
                .catch()
                .is_none_or(|c| list_always_returns(c.block().statement_list().statements()));
            finally || (body && handler)
        }
        Statement::Switch(s) => {
            // Falling through to a returning case counts; a missing default does not.
            s.default().is_some()
                && s.cases()
                    .last()
                    .is_some_and(|c| list_always_returns(c.body().statements()))
                && s.cases().iter().all(|c| {
                    c.body().statements().is_empty() || list_always_returns(c.body().statements())
                })
        }
        // `while (true)` without a way out never falls off the end.
        Statement::WhileLoop(w) => is_true_literal(w.condition()) && !has_break(w.body()),
        Statement::ForLoop(f) => f.condition().is_none_or(is_true_literal) && !has_break(f.body()),
        _ => false,
    }
}

fn is_true_literal(e: &Expression) -> bool {
    matches!(e, Expression::Literal(l) if matches!(l.kind(), LiteralKind::Bool(true)))
}

fn has_break(stmt: &Statement) -> bool {
    struct Breaks(bool);
    impl<'ast> Visitor<'ast> for Breaks {
        type BreakTy = ();
        fn visit_break(
            &mut self,
            _: &'ast boa_engine::ast::statement::iteration::Break,
        ) -> ControlFlow<()> {
            self.0 = true;
            ControlFlow::Break(())
        }
    }
    let mut b = Breaks(false);
    let _ = stmt.visit_with(&mut b);
    b.0
}

/// Every call expression, in source order, and every identifier read, with
/// its line.
#[derive(Default)]
struct CallCollector<'a> {
    calls: Vec<&'a Call>,
    idents: Vec<(Sym, u32)>,
}

impl<'a> Visitor<'a> for CallCollector<'a> {
    type BreakTy = ();
    fn visit_call(&mut self, node: &'a Call) -> ControlFlow<()> {
        self.calls.push(node);
        node.visit_with(self)
    }
    fn visit_identifier(
        &mut self,
        node: &'a boa_engine::ast::expression::Identifier,
    ) -> ControlFlow<()> {
        self.idents.push((node.sym(), start_of(node.span()).0));
        ControlFlow::Continue(())
    }
}

/// `return;` and returns of what is no text (`undefined`, `null`, a number),
/// in an entry point's own body: nested functions return for themselves.
/// A bare `return` has no span of its own; it is found in the source after
/// the last expression seen before it.
fn empty_returns(
    statements: &[StatementListItem],
    interner: &Interner,
    source: &str,
) -> Vec<(u32, u32, bool)> {
    struct Returns<'i> {
        found: Vec<(u32, u32, bool)>,
        interner: &'i Interner,
        source: &'i str,
        last: (u32, u32),
    }
    impl<'ast> Visitor<'ast> for Returns<'_> {
        type BreakTy = ();
        fn visit_expression(&mut self, node: &'ast Expression) -> ControlFlow<()> {
            self.last = start_of(node.span());
            node.visit_with(self)
        }
        fn visit_return(
            &mut self,
            node: &'ast boa_engine::ast::statement::Return,
        ) -> ControlFlow<()> {
            match node.target() {
                None => {
                    let (line, column) = bare_return_after(self.source, self.last);
                    self.last = (line, column);
                    self.found.push((line, column, true));
                }
                Some(Expression::Literal(l))
                    if matches!(
                        l.kind(),
                        LiteralKind::Null
                            | LiteralKind::Undefined
                            | LiteralKind::Num(_)
                            | LiteralKind::Int(_)
                            | LiteralKind::Bool(_)
                    ) =>
                {
                    let (line, column) = start_of(l.span());
                    self.found.push((line, column, false));
                }
                Some(Expression::Identifier(id))
                    if self
                        .interner
                        .resolve(id.sym())
                        .is_some_and(|n| n.to_string() == "undefined") =>
                {
                    let (line, column) = start_of(id.span());
                    self.found.push((line, column, false));
                }
                _ => {}
            }
            node.visit_with(self)
        }
        fn visit_function_expression(
            &mut self,
            _: &'ast boa_engine::ast::function::FunctionExpression,
        ) -> ControlFlow<()> {
            ControlFlow::Continue(())
        }
        fn visit_function_declaration(&mut self, _: &'ast FunctionDeclaration) -> ControlFlow<()> {
            ControlFlow::Continue(())
        }
        fn visit_arrow_function(
            &mut self,
            _: &'ast boa_engine::ast::function::ArrowFunction,
        ) -> ControlFlow<()> {
            ControlFlow::Continue(())
        }
    }
    let mut r = Returns {
        found: Vec::new(),
        interner,
        source,
        last: statements
            .iter()
            .find_map(|item| match item {
                StatementListItem::Statement(s) => first_position(s),
                StatementListItem::Declaration(_) => None,
            })
            .unwrap_or((1, 1)),
    };
    for item in statements {
        let _ = item.visit_with(&mut r);
    }
    r.found
}

/// Where the first `return` with nothing after it (`return;`, `return }`,
/// `return` at a line's end) stands at or after `from` in the source.
fn bare_return_after(source: &str, from: (u32, u32)) -> (u32, u32) {
    let line_start = source
        .split_inclusive('\n')
        .take(from.0.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let start = source
        .get(line_start..)
        .unwrap_or_default()
        .char_indices()
        .nth(from.1.saturating_sub(1) as usize)
        .map_or(source.len(), |(at, _)| line_start + at);
    let rest = source.get(start..).unwrap_or_default();
    let found = rest.match_indices("return").find(|(at, _)| {
        let before = rest.get(..*at).and_then(|b| b.chars().next_back());
        let after = rest
            .get(at + "return".len()..)
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
            && (after.is_empty() || after.starts_with([';', '}', '\n', '\r']))
    });
    let Some((at, _)) = found else {
        return from;
    };
    let upto = source.get(..start + at).unwrap_or_default();
    let line = upto.matches('\n').count() + 1;
    let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// `ident == "literal"` comparisons (either side, `==` or `===`).
#[derive(Default)]
struct CompareCollector {
    found: Vec<(u32, u32, Sym, Sym)>,
}

impl<'a> Visitor<'a> for CompareCollector {
    type BreakTy = ();
    fn visit_binary(
        &mut self,
        node: &'a boa_engine::ast::expression::operator::Binary,
    ) -> ControlFlow<()> {
        if matches!(
            node.op(),
            BinaryOp::Relational(RelationalOp::Equal | RelationalOp::StrictEqual)
        ) {
            let pair = match (node.lhs(), node.rhs()) {
                (Expression::Identifier(id), Expression::Literal(l))
                | (Expression::Literal(l), Expression::Identifier(id)) => match l.kind() {
                    LiteralKind::String(s) => Some((id.sym(), *s)),
                    _ => None,
                },
                _ => None,
            };
            if let Some((ident, text)) = pair {
                let (line, column) = start_of(node.span());
                self.found.push((line, column, ident, text));
            }
        }
        node.visit_with(self)
    }
}

/// String literals returned directly (`return "PROXY …";`), with positions.
fn returned_literals(
    script: &boa_engine::ast::Script,
    interner: &Interner,
) -> Vec<(u32, u32, String)> {
    struct Returns<'i> {
        interner: &'i Interner,
        found: Vec<(u32, u32, String)>,
    }
    impl<'ast> Visitor<'ast> for Returns<'_> {
        type BreakTy = ();
        fn visit_return(
            &mut self,
            node: &'ast boa_engine::ast::statement::Return,
        ) -> ControlFlow<()> {
            if let Some(Expression::Literal(l)) = node.target()
                && let LiteralKind::String(sym) = l.kind()
            {
                let text = self
                    .interner
                    .resolve(*sym)
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let (line, column) = start_of(l.span());
                self.found.push((line, column, text));
            }
            node.visit_with(self)
        }
    }
    let mut r = Returns {
        interner,
        found: Vec::new(),
    };
    let _ = script.visit_with(&mut r);
    r.found
}

//! `pac lint` checks, one script per mistake, and a clean script with none.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_pac::{Finding, Severity, lint};

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn only(source: &str, code: &str) -> Finding {
    let found = lint(source);
    let matching: Vec<&Finding> = found.iter().filter(|f| f.code == code).collect();
    assert_eq!(matching.len(), 1, "{code} in {:#?}", found);
    matching[0].clone()
}

#[test]
fn a_careful_script_has_no_findings() {
    let pac = r#"
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example") || host == "corp.example")
    return "DIRECT";
  if (shExpMatch(host, "*.microsoft.com")) return "PROXY proxy.corp.example:8080";
  var ip = dnsResolve(host);
  if (ip && isInNet(ip, "10.0.0.0", "255.0.0.0")) return "DIRECT";
  return "PROXY proxy.corp.example:3128; DIRECT";
}
"#;
    assert_eq!(lint(pac), Vec::new());
}

#[test]
fn syntax_errors_are_located() {
    let f = only(
        "function FindProxyForURL(url, host) {\n  return 'DIRECT'\n  if (\n}\n",
        "syntax",
    );
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.line, 4);
}

#[test]
fn no_entry_point() {
    let f = only(
        "function findProxy(url, host) { return 'DIRECT'; }",
        "no-entry-point",
    );
    assert_eq!(f.severity, Severity::Error);
    let g = only(
        "var FindProxyForURL = function (u, h) { return 'DIRECT'; };",
        "no-entry-point",
    );
    assert_eq!(g.severity, Severity::Warning);
}

#[test]
fn a_path_without_return() {
    let pac = "function FindProxyForURL(url, host) {\n  if (isPlainHostName(host)) return 'DIRECT';\n  if (shExpMatch(host, '*.a.example')) { return 'PROXY a:1'; } else { alert('x'); }\n}\n";
    let f = only(pac, "missing-return");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.line, 1);
    // Every path returning, by if/else, switch with default, or try/finally, is fine.
    for ok in [
        "function FindProxyForURL(u, h) { if (h == 'a') { return 'DIRECT'; } else { return 'PROXY p:1'; } }",
        "function FindProxyForURL(u, h) { switch (h) { case 'a': case 'b': return 'DIRECT'; default: return 'PROXY p:1'; } }",
        "function FindProxyForURL(u, h) { try { return x(); } catch (e) { return 'DIRECT'; } }",
        "function FindProxyForURL(u, h) { try { x(); } finally { return 'DIRECT'; } }",
        "function FindProxyForURL(u, h) { throw 'no'; }",
    ] {
        assert!(
            !codes(&lint(ok)).contains(&"missing-return"),
            "{ok}: {:?}",
            lint(ok)
        );
    }
    let no_default = "function FindProxyForURL(u, h) { switch (h) { case 'a': return 'DIRECT'; } }";
    assert!(codes(&lint(no_default)).contains(&"missing-return"));
}

#[test]
fn rules_after_an_unconditional_return() {
    let pac = "function FindProxyForURL(url, host) {\n  return 'PROXY p:3128';\n  if (isPlainHostName(host)) return 'DIRECT';\n}\n";
    let f = only(pac, "unreachable");
    assert_eq!(f.line, 3);
    assert!(f.message.contains("line 2"), "{}", f.message);
    // Functions declared after the return are hoisted, not unreachable.
    let hoisted = "function FindProxyForURL(u, h) { return helper(h);\n function helper(x) { return 'DIRECT'; } }";
    assert!(
        !codes(&lint(hoisted)).contains(&"unreachable"),
        "{:?}",
        lint(hoisted)
    );
}

#[test]
fn is_in_net_on_a_name_is_a_hidden_lookup() {
    let pac = "function FindProxyForURL(url, host) {\n  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';\n  return 'PROXY p:1';\n}\n";
    let f = only(pac, "hidden-dns");
    assert_eq!((f.line, f.severity), (2, Severity::Warning));
    // The second parameter may have another name.
    let renamed = "function FindProxyForURL(u, h) { return isInNet(h, '10.0.0.0', '255.0.0.0') ? 'DIRECT' : 'PROXY p:1'; }";
    assert!(codes(&lint(renamed)).contains(&"hidden-dns"));
    // A literal name is resolved as well; a literal address is not.
    assert!(codes(&lint("function FindProxyForURL(u, h) { return isInNet('intranet', '10.0.0.0', '255.0.0.0') ? 'DIRECT' : 'PROXY p:1'; }")).contains(&"hidden-dns"));
    assert!(!codes(&lint("function FindProxyForURL(u, h) { return isInNet('10.1.1.1', '10.0.0.0', '255.0.0.0') ? 'DIRECT' : 'PROXY p:1'; }")).contains(&"hidden-dns"));
}

#[test]
fn is_in_net_with_a_cidr_or_without_a_mask_is_an_error() {
    for call in [
        "isInNet(ip, '10.0.0.0/8')",
        "isInNet(ip, '10.0.0.0')",
        "isInNet(ip, '10.0.0.0/8', '255.0.0.0')",
    ] {
        let pac = format!(
            "function FindProxyForURL(url, host) {{\n  var ip = dnsResolve(host);\n  if ({call}) return 'DIRECT';\n  return 'PROXY p:1';\n}}\n"
        );
        let f = only(&pac, "bad-net");
        assert_eq!((f.line, f.severity), (3, Severity::Error), "{call}");
    }
    let fine = "function FindProxyForURL(url, host) {\n  var ip = dnsResolve(host);\n  if (isInNet(ip, '10.0.0.0', '255.0')) return 'DIRECT';\n  return 'PROXY p:1';\n}\n";
    assert!(!codes(&lint(fine)).contains(&"bad-net"));
}

#[test]
fn dns_before_name_checks() {
    let pac = r#"function FindProxyForURL(url, host) {
  var ip = dnsResolve(host);
  if (isPlainHostName(host)) return "DIRECT";
  if (shExpMatch(host, "*.example.com")) return "PROXY a:1";
  if (ip && isInNet(ip, "10.0.0.0", "255.0.0.0")) return "DIRECT";
  return "PROXY b:1";
}"#;
    let f = only(pac, "dns-before-name-checks");
    assert_eq!(f.line, 2);
    assert!(f.message.contains("3, 4"), "{}", f.message);
    // A lookup inside a rule's body runs only for the URLs that reach it.
    let guarded = r#"function FindProxyForURL(url, host) {
  if (shExpMatch(host, "*.internal")) { if (isResolvable(host)) return "DIRECT"; }
  if (dnsDomainIs(host, ".example.com")) return "PROXY a:1";
  return "PROXY b:1";
}"#;
    assert!(
        !codes(&lint(guarded)).contains(&"dns-before-name-checks"),
        "{:?}",
        lint(guarded)
    );
}

#[test]
fn dns_before_name_checks_in_every_form() {
    // `let`/`const` run for every URL as `var` does, and a test of the host
    // itself is a name check (round 21: both were missed).
    for decl in ["let", "const"] {
        let pac = format!(
            "function FindProxyForURL(url, host) {{\n  {decl} ip = dnsResolve(host);\n  if (host == \"intranet\") return \"DIRECT\";\n  return ip ? \"PROXY a:1\" : \"DIRECT\";\n}}"
        );
        let f = only(&pac, "dns-before-name-checks");
        assert_eq!(f.line, 2, "{decl}");
        assert!(f.message.contains("line(s) 3"), "{}", f.message);
    }
    let url_test = "function FindProxyForURL(url, host) {\n  var ip = dnsResolve(host);\n  if (url.substring(0, 5) == 'http:') return 'DIRECT';\n  return 'PROXY a:1';\n}";
    assert_eq!(only(url_test, "dns-before-name-checks").line, 2);
    // Passing the host on is no check of it.
    let handed_on = "function pick(h, ip) { return ip ? 'DIRECT' : 'PROXY a:1'; }\nfunction FindProxyForURL(url, host) {\n  var ip = dnsResolve(host);\n  return pick(host, ip);\n}";
    assert!(!codes(&lint(handed_on)).contains(&"dns-before-name-checks"));
}

#[test]
fn returns_of_no_text_are_errors() {
    let bare = "function FindProxyForURL(url, host) {\n  if (isPlainHostName(host)) return;\n  return 'PROXY a:1';\n}";
    let f = only(bare, "no-route-returned");
    assert_eq!((f.severity, f.line), (Severity::Error, 2));
    assert!(f.message.contains("`return;`"), "{}", f.message);
    for value in ["null", "undefined", "0", "false"] {
        let pac = format!(
            "function FindProxyForURL(url, host) {{\n  if (isPlainHostName(host)) return {value};\n  return 'PROXY a:1';\n}}"
        );
        assert_eq!(only(&pac, "no-route-returned").line, 2, "{value}");
    }
    // A helper function's own `return;` is its business.
    let helper = "function FindProxyForURL(url, host) {\n  function log() { return; }\n  var f = function () { return null; };\n  log(); f();\n  return 'DIRECT';\n}";
    assert_eq!(lint(helper), Vec::new());
}

#[test]
fn suffix_tests_without_a_dot() {
    let f = only(
        "function FindProxyForURL(u, host) { if (dnsDomainIs(host, 'example.com')) return 'DIRECT'; return 'PROXY p:1'; }",
        "domain-without-dot",
    );
    assert!(f.message.contains("notexample.com"), "{}", f.message);
    assert!(f.hint.contains("\".example.com\""), "{}", f.hint);
}

#[test]
fn capital_letters_never_match_the_host() {
    let pac = r#"function FindProxyForURL(url, host) {
  if (host == "Intranet.Corp") return "DIRECT";
  if (shExpMatch(host, "*.Example.com")) return "DIRECT";
  if (dnsDomainIs(host, ".Corp.example")) return "DIRECT";
  if (shExpMatch(url, "*/Path/*")) return "DIRECT";
  return "PROXY p:1";
}"#;
    let found = lint(pac);
    let lines: Vec<u32> = found
        .iter()
        .filter(|f| f.code == "uppercase-host")
        .map(|f| f.line)
        .collect();
    // The URL's path may be in capitals; only host tests are flagged.
    assert_eq!(lines, vec![2, 3, 4], "{found:#?}");
}

#[test]
fn returned_strings_clients_cannot_use() {
    let pac = "function FindProxyForURL(u, h) {\n  if (h == 'a') return 'PROXY';\n  if (h == 'b') return 'PROXY p:1; FAST q:2';\n  return '';\n}\n";
    let found = lint(pac);
    let bad: Vec<(u32, Severity)> = found
        .iter()
        .filter(|f| f.code == "bad-route")
        .map(|f| (f.line, f.severity))
        .collect();
    assert_eq!(
        bad,
        vec![
            (2, Severity::Error),
            (4, Severity::Error),
            (3, Severity::Warning)
        ],
        "{found:#?}"
    );
}

#[test]
fn regular_expression_characters_in_patterns() {
    let f = only(
        "function FindProxyForURL(u, h) { if (shExpMatch(h, '(a|b).example.com')) return 'DIRECT'; return 'PROXY p:1'; }",
        "regex-in-shexp",
    );
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn findings_are_sorted_by_severity_then_line() {
    let pac = "function FindProxyForURL(url, host) {\n  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';\n  if (dnsDomainIs(host, 'a.com')) return 'PROXY';\n}\n";
    let found = lint(pac);
    let sev: Vec<Severity> = found.iter().map(|f| f.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sev, sorted);
    assert_eq!(found[0].severity, Severity::Error);
}

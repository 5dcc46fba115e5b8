//! One self-contained HTML page: summary, filters, a sortable table, a phase
//! waterfall per endpoint (inline SVG) and certificate details where TLS was
//! not what it should be. No external fetch of any kind: a content security
//! policy forbids them, so the file can be attached to a ticket and opened
//! anywhere, offline.

use std::fmt::Write as _;

use super::{Attempt, CheckReport, Phase, ProbeResult, Verdict};

/// Text made safe for HTML content and quoted attributes.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::NotProbed => "skip",
        Verdict::HttpUnexpectedStatus | Verdict::Timeout => "warn",
        _ => "bad",
    }
}

fn phase_color(p: Phase) -> &'static str {
    match p {
        Phase::Dns => "#6a8caf",
        Phase::Connect => "#7fae6a",
        Phase::Tunnel => "#b38fcf",
        Phase::Tls => "#d9a441",
        Phase::Http => "#cf6f6f",
    }
}

/// The phases of one attempt as bars on a time axis.
fn waterfall(a: &Attempt) -> String {
    const WIDTH: f64 = 420.0;
    const LABEL: f64 = 70.0;
    const ROW: f64 = 18.0;
    let total: f64 = a.phases.iter().map(|p| p.elapsed_ms).sum();
    let scale = if total > 0.0 { WIDTH / total } else { 0.0 };
    let height = ROW * a.phases.len() as f64 + 4.0;
    let mut svg = format!(
        r#"<svg class="waterfall" role="img" width="{:.0}" height="{height:.0}" viewBox="0 0 {:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        LABEL + WIDTH + 90.0,
        LABEL + WIDTH + 90.0,
        esc(&format!("phases through {}", a.route))
    );
    let mut start = 0.0;
    for (i, p) in a.phases.iter().enumerate() {
        let y = ROW * i as f64 + 2.0;
        let x = LABEL + start * scale;
        let w = (p.elapsed_ms * scale).max(1.0);
        let _ = write!(
            svg,
            r#"<text x="0" y="{:.1}" class="wl">{}</text><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{}"{}><title>{}</title></rect><text x="{:.1}" y="{:.1}" class="wl">{:.1} ms</text>"#,
            y + ROW - 6.0,
            p.phase.name(),
            ROW - 4.0,
            phase_color(p.phase),
            if p.ok {
                ""
            } else {
                r##" stroke="#a00" stroke-width="2""##
            },
            esc(&p.detail),
            x + w + 4.0,
            y + ROW - 6.0,
            p.elapsed_ms
        );
        start += p.elapsed_ms;
    }
    svg.push_str("</svg>");
    svg
}

/// Evidence, phases and (when TLS was wrong) the chain, for one attempt.
fn attempt_details(a: &Attempt) -> String {
    let mut out = format!(
        r#"<div class="attempt"><div class="route">{} → <span class="v {}">{}</span></div>"#,
        esc(&a.route.to_string()),
        verdict_class(a.verdict),
        a.verdict.name()
    );
    out.push_str(&waterfall(a));
    if !a.evidence.is_empty() {
        out.push_str("<ul class=\"evidence\">");
        for e in &a.evidence {
            let _ = write!(out, "<li>{}</li>", esc(e));
        }
        out.push_str("</ul>");
    }
    if let Some(tls) = &a.tls
        && !matches!(a.verdict, Verdict::Ok)
    {
        let _ = write!(
            out,
            "<div class=\"tls\">TLS {} — public roots: {}; given anchors: {}; OS store: {}",
            esc(&tls.version),
            esc(&verification(&tls.public_roots)),
            esc(&verification(&tls.given_anchors)),
            esc(&verification(&tls.os_store)),
        );
        for (i, c) in tls.chain.iter().enumerate() {
            let _ = write!(
                out,
                "<details class=\"cert\"><summary>#{i} {}</summary><dl><dt>issuer</dt><dd>{}</dd><dt>names</dt><dd>{}</dd><dt>valid</dt><dd>{} – {}</dd><dt>sha256</dt><dd><code>{}</code></dd></dl><pre>{}</pre></details>",
                esc(&c.subject),
                esc(&c.issuer),
                esc(&c.dns_names.join(", ")),
                esc(&c.not_before),
                esc(&c.not_after),
                esc(&c.sha256),
                esc(&c.pem)
            );
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    out
}

fn verification(v: &super::Verification) -> String {
    match v {
        super::Verification::Passed => "passed".into(),
        super::Verification::Failed { error } => format!("failed ({error})"),
        super::Verification::NotChecked { why } => format!("not checked ({why})"),
    }
}

fn row(r: &ProbeResult, finding: Option<usize>) -> String {
    let deciding = CheckReport::deciding(r);
    let total: f64 = deciding.map_or(0.0, |a| a.phases.iter().map(|p| p.elapsed_ms).sum());
    let route = deciding.map_or_else(String::new, |a| a.route.to_string());
    let category = r.category.as_deref().unwrap_or("Uncategorised");
    let mut details = String::new();
    for a in &r.attempts {
        details.push_str(&attempt_details(a));
    }
    if !r.route_source.is_empty() {
        let _ = write!(
            details,
            "<div class=\"source\">route from: {}</div>",
            esc(&r.route_source)
        );
    }
    let endpoint = if details.is_empty() {
        esc(&r.url)
    } else {
        format!(
            "<details><summary>{}</summary>{details}</details>",
            esc(&r.url)
        )
    };
    format!(
        "<tr data-verdict=\"{v}\" data-category=\"{c}\" data-finding=\"{f}\"><td>{endpoint}</td><td>{c}</td><td>{req}</td><td>{route}</td><td><span class=\"v {class}\">{v}</span>{change}</td><td data-num=\"{total:.1}\">{time}</td><td>{hint}</td></tr>\n",
        v = r.verdict.name(),
        c = esc(category),
        f = finding.map(|i| (i + 1).to_string()).unwrap_or_default(),
        req = if r.required { "yes" } else { "no" },
        route = esc(&route),
        class = verdict_class(r.verdict),
        change = r
            .change
            .map(|c| format!(" <span class=\"change\">{}</span>", c.name()))
            .unwrap_or_default(),
        time = if deciding.is_some() {
            format!("{total:.0}")
        } else {
            String::new()
        },
        hint = esc(&r.hint),
    )
}

const STYLE: &str = r#"
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em;margin:0 0 .3em}
.meta{color:#555;margin-bottom:1em}
.cards{display:flex;flex-wrap:wrap;gap:.5em;margin-bottom:1em}
.card{border:1px solid #ccc;border-radius:6px;padding:.4em .8em;min-width:7em}
.card b{display:block;font-size:1.4em}
.partial,.warning{background:#fff4d6;border:1px solid #e0c060;padding:.4em .8em;margin:.3em 0}
.filters{margin:.8em 0;display:flex;gap:1em;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
col.endpoint{width:26%}col.category{width:10%}col.required{width:7%}col.route{width:12%}col.verdict{width:13%}col.time{width:6%}col.hint{width:26%}
.findings{display:flex;flex-direction:column;gap:.4em;margin:.5em 0 1em}
.finding{border:1px solid #d99;border-left:5px solid #b22;border-radius:4px;padding:.4em .7em;background:#fff;text-align:left;font:inherit;cursor:pointer}
.finding.inferred{border-left-color:#c90}
.finding.active{background:#fdeeee}
.finding .kind{font-family:monospace;font-size:.85em;color:#8a1212}
.finding .ev{font-size:12px;color:#444;font-family:monospace}
.finding .act{font-size:13px;margin-top:.2em}
pre,details{max-width:100%;overflow-x:auto}
th{background:#f3f3f3;cursor:pointer;user-select:none;position:sticky;top:0}
th.sorted-asc::after{content:" ▲"} th.sorted-desc::after{content:" ▼"}
.v{font-family:monospace;padding:0 .3em;border-radius:3px}
.v.ok{background:#dff3df;color:#15621b}.v.bad{background:#fbe0e0;color:#8a1212}
.v.warn{background:#fff0cc;color:#7a5600}.v.skip{background:#eee;color:#666}
.change{font-size:.85em;color:#444;border:1px solid #aaa;border-radius:3px;padding:0 .2em}
.attempt{margin:.4em 0 .6em .5em}
.waterfall .wl{font:11px monospace;fill:#333}
.evidence{margin:.2em 0;font-family:monospace;font-size:12px}
.tls{font-size:12px;margin:.3em 0}
.cert pre{font-size:11px;white-space:pre-wrap}
.source{font-size:12px;color:#555}
"#;

const SCRIPT: &str = r#"
(function(){
  var table=document.getElementById('results');
  var body=table.tBodies[0];
  var verdict=document.getElementById('filter-verdict');
  var category=document.getElementById('filter-category');
  var text=document.getElementById('filter-text');
  var finding='';
  var cards=document.querySelectorAll('.finding');
  function apply(){
    var v=verdict.value,c=category.value,t=text.value.toLowerCase(),shown=0;
    Array.prototype.forEach.call(cards,function(b){b.classList.toggle('active',b.dataset.finding===finding);});
    Array.prototype.forEach.call(body.rows,function(r){
      var show=(!finding||r.dataset.finding===finding)&&(!v||r.dataset.verdict===v)&&(!c||r.dataset.category===c)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);
      r.hidden=!show; if(show){shown++;}
    });
    document.getElementById('shown').textContent=shown;
  }
  [verdict,category].forEach(function(e){e.addEventListener('change',apply);});
  // A finding's card shows its endpoints; a second click shows all again.
  Array.prototype.forEach.call(cards,function(b){
    b.addEventListener('click',function(){finding=(finding===b.dataset.finding)?'':b.dataset.finding;apply();});
  });
  text.addEventListener('input',apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){
      var asc=!th.classList.contains('sorted-asc');
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.classList.remove('sorted-asc','sorted-desc');});
      th.classList.add(asc?'sorted-asc':'sorted-desc');
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[i],y=b.cells[i],r;
        if(x.dataset.num!==undefined&&y.dataset.num!==undefined){r=parseFloat(x.dataset.num)-parseFloat(y.dataset.num);}
        else{r=x.textContent.localeCompare(y.textContent);}
        return asc?r:-r;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  // A link can carry the filters: report.html#verdict=tls_intercepted&category=X&q=text
  location.hash.replace(/^#/,'').split('&').forEach(function(kv){
    var i=kv.indexOf('='); if(i<0){return;}
    var k=kv.slice(0,i),v=decodeURIComponent(kv.slice(i+1));
    if(k==='verdict'){verdict.value=v;}else if(k==='category'){category.value=v;}else if(k==='q'){text.value=v;}else if(k==='finding'){finding=v;}
  });
  apply();
  // Whether the page fits its window without scrolling sideways.
  document.body.setAttribute('data-fits',document.documentElement.scrollWidth<=window.innerWidth?'yes':'no');
  document.body.setAttribute('data-ready','yes');
})();
"#;

pub(crate) fn render(report: &CheckReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let title = format!("pathprobe check: {}", report.catalog);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title><style>{STYLE}</style></head>\n<body>\n<h1>{}</h1>\n<div class=\"meta\">started {} · {} · {} {} · {:.1} s</div>\n",
        esc(&title),
        esc(&title),
        esc(&report.started_at),
        esc(&report.routing),
        esc(&report.tool.name),
        esc(&report.tool.version),
        s.duration_ms / 1000.0
    );
    if s.partial {
        out.push_str("<div class=\"partial\">The run was cut short (deadline or interrupt): finished probes are shown, the rest are marked timeout.</div>\n");
    }
    for w in &report.warnings {
        let _ = writeln!(out, "<div class=\"warning\">warning: {}</div>", esc(w));
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "<div class=\"meta\">compared with {} ({}); gone since: {}</div>",
            esc(&b.source),
            esc(&b.started_at),
            if b.gone.is_empty() {
                "none".to_owned()
            } else {
                esc(&b.gone.join(", "))
            }
        );
    }
    if !report.findings.is_empty() {
        out.push_str("<h2>Findings</h2>\n<div class=\"findings\">\n");
        for (i, f) in report.findings.iter().enumerate() {
            let _ = writeln!(
                out,
                "<button type=\"button\" class=\"finding{}\" data-finding=\"{}\"><span class=\"kind\">{}</span> {}<div class=\"ev\">{}</div><div class=\"act\">→ {}</div></button>",
                if f.confidence == crate::findings::Confidence::Inferred {
                    " inferred"
                } else {
                    ""
                },
                i + 1,
                esc(f.kind.name()),
                esc(&f
                    .headline()
                    .split_once("] ")
                    .map_or(String::new(), |(_, rest)| rest.to_owned())),
                esc(&f.evidence.join(" · ")),
                esc(&f.action_line())
            );
        }
        out.push_str("</div>\n");
    }
    let _ = write!(
        out,
        "<div class=\"cards\"><div class=\"card\"><b>{}/{}</b>ok</div><div class=\"card\"><b>{}</b>required failed</div><div class=\"card\"><b>{}</b>optional failed</div><div class=\"card\"><b>{}</b>not probed</div>",
        s.ok, s.probed, s.required_failed, s.optional_failed, s.not_probed
    );
    for (verdict, count) in &s.by_verdict {
        let _ = write!(
            out,
            "<div class=\"card\"><b>{count}</b><span class=\"v {}\">{}</span></div>",
            match verdict.as_str() {
                "ok" => "ok",
                "not_probed" => "skip",
                "http_unexpected_status" | "timeout" => "warn",
                _ => "bad",
            },
            esc(verdict)
        );
    }
    out.push_str("</div>\n<div class=\"filters\"><label>verdict <select id=\"filter-verdict\"><option value=\"\">all</option>");
    for verdict in s.by_verdict.keys() {
        let _ = write!(out, "<option>{}</option>", esc(verdict));
    }
    out.push_str("</select></label><label>category <select id=\"filter-category\"><option value=\"\">all</option>");
    for (name, _) in super::table::groups(report) {
        let _ = write!(out, "<option>{}</option>", esc(name));
    }
    let _ = writeln!(
        out,
        "</select></label><label>search <input id=\"filter-text\" type=\"search\"></label><span><span id=\"shown\">{}</span> of {} shown</span></div>",
        report.results.len(),
        report.results.len()
    );
    out.push_str("<table id=\"results\"><colgroup><col class=\"endpoint\"><col class=\"category\"><col class=\"required\"><col class=\"route\"><col class=\"verdict\"><col class=\"time\"><col class=\"hint\"></colgroup><thead><tr><th>Endpoint</th><th>Category</th><th>Required</th><th>Route</th><th>Verdict</th><th>Time (ms)</th><th>Hint</th></tr></thead>\n<tbody>\n");
    // The finding each row belongs to, for the cards' filter.
    let covering = crate::findings::covering(&report.findings);
    for r in &report.results {
        out.push_str(&row(r, covering.get(r.url.as_str()).copied()));
    }
    let _ = write!(
        out,
        "</tbody></table>\n<p class=\"meta\">{}</p>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc(&report.summary_line())
    );
    out
}

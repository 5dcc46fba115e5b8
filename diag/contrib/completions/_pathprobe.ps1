
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pathprobe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pathprobe'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pathprobe' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Probe every endpoint of a catalog through the route this machine would use, phase by phase, and give each a verdict with a hint')
            [CompletionResult]::new('lab', 'lab', [CompletionResultType]::ParameterValue, 'Run the built-in lab: a small network on loopback that reproduces each situation pathprobe diagnoses (refused, silent, unknown and sinkholed names, untrusted and intercepted TLS, plain, authenticating and dead proxies, PAC failover) and shows the verdicts. Needs no internet')
            [CompletionResult]::new('urls', 'urls', [CompletionResultType]::ParameterValue, 'Service URL catalogs: list what would be probed, compare versions')
            [CompletionResult]::new('pac', 'pac', [CompletionResultType]::ParameterValue, 'Proxy auto-config files: ask one which proxy it gives, check it for mistakes')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Proxy settings: find every one that applies and explain which wins')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Saved reports: compare two runs, render one in another format')
            [CompletionResult]::new('onboarding', 'onboarding', [CompletionResultType]::ParameterValue, 'Onboarding and offboarding packages: what they say, whether they still work, and whether they fit together')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the check on an interval and serve the results to Prometheus')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Run the check and write one zip for a support ticket: the report (JSON, HTML, text), the proxy explanation, the PAC files used, DNS and proxy settings, versions, failing chains and the run''s log, with a manifest of SHA-256 sums. Credentials and tokens are redacted')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Turn a saved check report into the network changes it calls for: what to allow, what to exempt from proxy authentication, what to exempt from SSL inspection — as a ticket text (default) or as the rules (domain list, squid ACL, PAC, CSV, JSON) restricted to what failed')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'What pathprobe can see of this machine, on one screen: resolvers, proxy settings found and which is in force, the trust store, the clock against an HTTPS server''s Date header, the configuration file')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The configuration file: show the effective options and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)')
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'Use the options of [site.NAME] in the configuration file')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable')
            [CompletionResult]::new('--catalog-proxy', '--catalog-proxy', [CompletionResultType]::ParameterName, 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'A fixed proxy given here, which wins over every other setting')
            [CompletionResult]::new('--pac', '--pac', [CompletionResultType]::ParameterName, 'A PAC file or URL given here, which wins over every other setting')
            [CompletionResult]::new('--mdatp-config', '--mdatp-config', [CompletionResultType]::ParameterName, 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)')
            [CompletionResult]::new('--wdav-plist', '--wdav-plist', [CompletionResultType]::ParameterName, 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)')
            [CompletionResult]::new('--telemetry-reg', '--telemetry-reg', [CompletionResultType]::ParameterName, 'A .reg export with the TelemetryProxyServer policy')
            [CompletionResult]::new('--netsh-file', '--netsh-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show proxy`')
            [CompletionResult]::new('--advproxy-file', '--advproxy-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show advproxy`')
            [CompletionResult]::new('--scutil-file', '--scutil-file', [CompletionResultType]::ParameterName, 'Saved output of `scutil --proxy`')
            [CompletionResult]::new('--gsettings-file', '--gsettings-file', [CompletionResultType]::ParameterName, 'Saved output of `gsettings list-recursively org.gnome.system.proxy`')
            [CompletionResult]::new('--etc-environment', '--etc-environment', [CompletionResultType]::ParameterName, 'An /etc/environment file')
            [CompletionResult]::new('--apt-conf', '--apt-conf', [CompletionResultType]::ParameterName, 'apt configuration files or directories (repeatable)')
            [CompletionResult]::new('--dhcp-lease', '--dhcp-lease', [CompletionResultType]::ParameterName, 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)')
            [CompletionResult]::new('--dhcp-inform', '--dhcp-inform', [CompletionResultType]::ParameterName, 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'resolv.conf for the DNS domains WPAD devolves from')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns-concurrency', '--dns-concurrency', [CompletionResultType]::ParameterName, 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound')
            [CompletionResult]::new('--wpad-port', '--wpad-port', [CompletionResultType]::ParameterName, 'Port of the wpad.dat server (80; other values for labs)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate PAC scripts as of this moment (RFC 3339)')
            [CompletionResult]::new('--my-ip', '--my-ip', [CompletionResultType]::ParameterName, 'What myIpAddress() returns in PAC scripts (repeatable)')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Pin a name to an address for this run, HOST=IP (repeatable), as curl''s --resolve; `*.example.test=IP` covers every name under example.test')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'Proxy credentials, USER:PASSWORD (never guessed, never printed)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Probes in flight at once (lowered to what the open-file limit allows)')
            [CompletionResult]::new('--per-proxy', '--per-proxy', [CompletionResultType]::ParameterName, 'Probes in flight through one proxy at once')
            [CompletionResult]::new('--deadline', '--deadline', [CompletionResultType]::ParameterName, 'Deadline for the whole run, in seconds')
            [CompletionResult]::new('--phase-timeout', '--phase-timeout', [CompletionResultType]::ParameterName, 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the report on stdout (and of `--output FILE` without a `FORMAT=`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to a file instead of stdout: `FILE` in the --format, or `FORMAT=FILE` (repeatable) for several formats at once, e.g. `--output junit=report.xml --output html=report.html`; stdout then still gets the --format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to a file instead of stdout: `FILE` in the --format, or `FORMAT=FILE` (repeatable) for several formats at once, e.g. `--output junit=report.xml --output html=report.html`; stdout then still gets the --format')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Compare with an earlier JSON report: mark endpoints that regressed or recovered')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'What makes the exit code 1: any required endpoint failing (`failure`), or only a required endpoint that was ok in the --baseline and is not now (`regression`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the run''s metrics to a Prometheus Pushgateway at this URL (`http://gateway:9091`; the job is `pathprobe`, the instance this machine''s name, unless the URL already names them). A push that fails is said on stderr and makes the exit code 1')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore the default configuration files')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('--wpad', '--wpad', [CompletionResultType]::ParameterName, 'Force WPAD auto-discovery (DHCP option 252, then DNS)')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Force a direct connection')
            [CompletionResult]::new('--only-given', '--only-given', [CompletionResultType]::ParameterName, 'Read only the files given with the flags below, not this machine''s')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore the process environment (http_proxy and friends)')
            [CompletionResult]::new('--all-routes', '--all-routes', [CompletionResultType]::ParameterName, 'Probe direct and every proxy found, side by side, for every endpoint')
            [CompletionResult]::new('--no-control', '--no-control', [CompletionResultType]::ParameterName, 'Do not ask the control probes: Windows'' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)')
            [CompletionResult]::new('--insecure-read', '--insecure-read', [CompletionResultType]::ParameterName, 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;lab' {
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Scenario files (TOML) to run instead of the built-in ones')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;urls' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the endpoints of a catalog and how each would be probed')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show endpoints added, removed or changed between two catalog versions')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the catalog''s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;urls;list' {
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable')
            [CompletionResult]::new('--catalog-proxy', '--catalog-proxy', [CompletionResultType]::ParameterName, 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the source file, sheet and row of each endpoint')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the source file, sheet and row of each endpoint')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;urls;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;urls;export' {
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable')
            [CompletionResult]::new('--catalog-proxy', '--catalog-proxy', [CompletionResultType]::ParameterName, 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'What to write')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write here instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write here instead of stdout')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'PAC: send the hosts through this proxy instead of DIRECT ("PROXY host:port")')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'PAC: wrap this existing PAC file, unchanged: hosts not in the list get its answer')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('--bare', '--bare', [CompletionResultType]::ParameterName, 'Domain list without the comment header (for consumers that refuse `#` lines)')
            [CompletionResult]::new('--ssl-bump', '--ssl-bump', [CompletionResultType]::ParameterName, 'squid: also write FILE.conf, the squid.conf lines that allow the list and splice it past SSL bumping (never decrypted). Needs --output')
            [CompletionResult]::new('--pac-snippet', '--pac-snippet', [CompletionResultType]::ParameterName, 'PAC: only the lines to paste at the top of an existing FindProxyForURL')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;urls;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the endpoints of a catalog and how each would be probed')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show endpoints added, removed or changed between two catalog versions')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the catalog''s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;urls;help;list' {
            break
        }
        'pathprobe;urls;help;diff' {
            break
        }
        'pathprobe;urls;help;export' {
            break
        }
        'pathprobe;urls;help;help' {
            break
        }
        'pathprobe;pac' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a PAC file for one or more URLs and show the routes it returns')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;pac;eval' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The PAC script: a file, or an http(s):// URL to fetch it from')
            [CompletionResult]::new('--pac', '--pac', [CompletionResultType]::ParameterName, 'The PAC script: a file, or an http(s):// URL to fetch it from')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'A URL to evaluate (repeat for several)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'A URL to evaluate (repeat for several)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file of URLs to evaluate, one per line (pactester''s -f)')
            [CompletionResult]::new('--url-file', '--url-file', [CompletionResultType]::ParameterName, 'A file of URLs to evaluate, one per line (pactester''s -f)')
            [CompletionResult]::new('--urls', '--urls', [CompletionResultType]::ParameterName, 'Evaluate every probe URL of a catalog (default: the embedded one)')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook given to --urls')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'The host passed to the script instead of the URL''s (pactester''s -h)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host passed to the script instead of the URL''s (pactester''s -h)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'What myIpAddress() returns (pactester''s -c); repeat for myIpAddressEx()')
            [CompletionResult]::new('--my-ip', '--my-ip', [CompletionResultType]::ParameterName, 'What myIpAddress() returns (pactester''s -c); repeat for myIpAddressEx()')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'A fixed DNS answer for the script''s lookups, HOST=IP (repeatable)')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Send the script''s other lookups to this DNS server instead of the system''s')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339, e.g. 2026-03-02T08:30:00+01:00), for scripts that route by day or time')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for loading the script and for each evaluation, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; `raw` prints only what the script returned, one line per URL, as pactester does')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (-h is pactester''s host flag here)')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('--no-dns', '--no-dns', [CompletionResultType]::ParameterName, 'Resolve only the names given with --dns; nothing goes to the network')
            [CompletionResult]::new('--full-url', '--full-url', [CompletionResultType]::ParameterName, 'Pass the full URL to the script (path and query included), as WinHTTP-style clients do; browsers strip https URLs to scheme://host:port/')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Accepted for pactester compatibility: Microsoft''s extensions are always on')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the script received (url and host) for each URL')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the script received (url and host) for each URL')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;pac;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;pac;help' {
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a PAC file for one or more URLs and show the routes it returns')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;pac;help;eval' {
            break
        }
        'pathprobe;pac;help;lint' {
            break
        }
        'pathprobe;pac;help;help' {
            break
        }
        'pathprobe;proxy' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;proxy;explain' {
            [CompletionResult]::new('--urls', '--urls', [CompletionResultType]::ParameterName, 'Explain every probe URL of a catalog (default: the embedded one)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Apply this OS''s proxy rules (default: the OS pathprobe runs on)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'A fixed proxy given here, which wins over every other setting')
            [CompletionResult]::new('--pac', '--pac', [CompletionResultType]::ParameterName, 'A PAC file or URL given here, which wins over every other setting')
            [CompletionResult]::new('--mdatp-config', '--mdatp-config', [CompletionResultType]::ParameterName, 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)')
            [CompletionResult]::new('--wdav-plist', '--wdav-plist', [CompletionResultType]::ParameterName, 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)')
            [CompletionResult]::new('--telemetry-reg', '--telemetry-reg', [CompletionResultType]::ParameterName, 'A .reg export with the TelemetryProxyServer policy')
            [CompletionResult]::new('--netsh-file', '--netsh-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show proxy`')
            [CompletionResult]::new('--advproxy-file', '--advproxy-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show advproxy`')
            [CompletionResult]::new('--scutil-file', '--scutil-file', [CompletionResultType]::ParameterName, 'Saved output of `scutil --proxy`')
            [CompletionResult]::new('--gsettings-file', '--gsettings-file', [CompletionResultType]::ParameterName, 'Saved output of `gsettings list-recursively org.gnome.system.proxy`')
            [CompletionResult]::new('--etc-environment', '--etc-environment', [CompletionResultType]::ParameterName, 'An /etc/environment file')
            [CompletionResult]::new('--apt-conf', '--apt-conf', [CompletionResultType]::ParameterName, 'apt configuration files or directories (repeatable)')
            [CompletionResult]::new('--dhcp-lease', '--dhcp-lease', [CompletionResultType]::ParameterName, 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)')
            [CompletionResult]::new('--dhcp-inform', '--dhcp-inform', [CompletionResultType]::ParameterName, 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'resolv.conf for the DNS domains WPAD devolves from')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns-concurrency', '--dns-concurrency', [CompletionResultType]::ParameterName, 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound')
            [CompletionResult]::new('--wpad-port', '--wpad-port', [CompletionResultType]::ParameterName, 'Port of the wpad.dat server (80; other values for labs)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate PAC scripts as of this moment (RFC 3339)')
            [CompletionResult]::new('--my-ip', '--my-ip', [CompletionResultType]::ParameterName, 'What myIpAddress() returns in PAC scripts (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wpad', '--wpad', [CompletionResultType]::ParameterName, 'Force WPAD auto-discovery (DHCP option 252, then DNS)')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Force a direct connection')
            [CompletionResult]::new('--only-given', '--only-given', [CompletionResultType]::ParameterName, 'Read only the files given with the flags below, not this machine''s')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore the process environment (http_proxy and friends)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also list the places looked at that hold nothing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also list the places looked at that hold nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;proxy;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;proxy;help;explain' {
            break
        }
        'pathprobe;proxy;help;help' {
            break
        }
        'pathprobe;report' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two saved JSON reports: what regressed, recovered or changed')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render a saved JSON report in another format')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the report `check --format json` writes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;report;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;report;render' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;report;schema' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;report;help' {
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two saved JSON reports: what regressed, recovered or changed')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render a saved JSON report in another format')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the report `check --format json` writes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;report;help;diff' {
            break
        }
        'pathprobe;report;help;render' {
            break
        }
        'pathprobe;report;help;schema' {
            break
        }
        'pathprobe;report;help;help' {
            break
        }
        'pathprobe;onboarding' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;onboarding;inspect' {
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'The organisation the packages must belong to')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--show-org-id', '--show-org-id', [CompletionResultType]::ParameterName, 'Show organisation ids in full (masked by default)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;onboarding;help' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;onboarding;help;inspect' {
            break
        }
        'pathprobe;onboarding;help;help' {
            break
        }
        'pathprobe;serve' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)')
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'Use the options of [site.NAME] in the configuration file')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable')
            [CompletionResult]::new('--catalog-proxy', '--catalog-proxy', [CompletionResultType]::ParameterName, 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'A fixed proxy given here, which wins over every other setting')
            [CompletionResult]::new('--pac', '--pac', [CompletionResultType]::ParameterName, 'A PAC file or URL given here, which wins over every other setting')
            [CompletionResult]::new('--mdatp-config', '--mdatp-config', [CompletionResultType]::ParameterName, 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)')
            [CompletionResult]::new('--wdav-plist', '--wdav-plist', [CompletionResultType]::ParameterName, 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)')
            [CompletionResult]::new('--telemetry-reg', '--telemetry-reg', [CompletionResultType]::ParameterName, 'A .reg export with the TelemetryProxyServer policy')
            [CompletionResult]::new('--netsh-file', '--netsh-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show proxy`')
            [CompletionResult]::new('--advproxy-file', '--advproxy-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show advproxy`')
            [CompletionResult]::new('--scutil-file', '--scutil-file', [CompletionResultType]::ParameterName, 'Saved output of `scutil --proxy`')
            [CompletionResult]::new('--gsettings-file', '--gsettings-file', [CompletionResultType]::ParameterName, 'Saved output of `gsettings list-recursively org.gnome.system.proxy`')
            [CompletionResult]::new('--etc-environment', '--etc-environment', [CompletionResultType]::ParameterName, 'An /etc/environment file')
            [CompletionResult]::new('--apt-conf', '--apt-conf', [CompletionResultType]::ParameterName, 'apt configuration files or directories (repeatable)')
            [CompletionResult]::new('--dhcp-lease', '--dhcp-lease', [CompletionResultType]::ParameterName, 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)')
            [CompletionResult]::new('--dhcp-inform', '--dhcp-inform', [CompletionResultType]::ParameterName, 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'resolv.conf for the DNS domains WPAD devolves from')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns-concurrency', '--dns-concurrency', [CompletionResultType]::ParameterName, 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound')
            [CompletionResult]::new('--wpad-port', '--wpad-port', [CompletionResultType]::ParameterName, 'Port of the wpad.dat server (80; other values for labs)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate PAC scripts as of this moment (RFC 3339)')
            [CompletionResult]::new('--my-ip', '--my-ip', [CompletionResultType]::ParameterName, 'What myIpAddress() returns in PAC scripts (repeatable)')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Pin a name to an address for this run, HOST=IP (repeatable), as curl''s --resolve; `*.example.test=IP` covers every name under example.test')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'Proxy credentials, USER:PASSWORD (never guessed, never printed)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Probes in flight at once (lowered to what the open-file limit allows)')
            [CompletionResult]::new('--per-proxy', '--per-proxy', [CompletionResultType]::ParameterName, 'Probes in flight through one proxy at once')
            [CompletionResult]::new('--deadline', '--deadline', [CompletionResultType]::ParameterName, 'Deadline for the whole run, in seconds')
            [CompletionResult]::new('--phase-timeout', '--phase-timeout', [CompletionResultType]::ParameterName, 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on, e.g. 127.0.0.1:9717 or [::]:9717')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between runs: seconds, or with a unit (`90s`, `5m`, `1h`); `0` runs only on `/probe` requests')
            [CompletionResult]::new('--max-runs', '--max-runs', [CompletionResultType]::ParameterName, 'Stop after this many runs (for tests and benchmarks; default: never)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore the default configuration files')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('--wpad', '--wpad', [CompletionResultType]::ParameterName, 'Force WPAD auto-discovery (DHCP option 252, then DNS)')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Force a direct connection')
            [CompletionResult]::new('--only-given', '--only-given', [CompletionResultType]::ParameterName, 'Read only the files given with the flags below, not this machine''s')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore the process environment (http_proxy and friends)')
            [CompletionResult]::new('--all-routes', '--all-routes', [CompletionResultType]::ParameterName, 'Probe direct and every proxy found, side by side, for every endpoint')
            [CompletionResult]::new('--no-control', '--no-control', [CompletionResultType]::ParameterName, 'Do not ask the control probes: Windows'' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)')
            [CompletionResult]::new('--insecure-read', '--insecure-read', [CompletionResultType]::ParameterName, 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;bundle' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)')
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'Use the options of [site.NAME] in the configuration file')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Read only this sheet of a workbook')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable')
            [CompletionResult]::new('--catalog-proxy', '--catalog-proxy', [CompletionResultType]::ParameterName, 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly')
            [CompletionResult]::new('--geo', '--geo', [CompletionResultType]::ParameterName, 'Data location: WW rows plus this one''s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)')
            [CompletionResult]::new('--onboarding', '--onboarding', [CompletionResultType]::ParameterName, 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Only rows for this operating system (rows without platform flags apply to all)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only rows whose category or service contains this text (case-insensitive)')
            [CompletionResult]::new('--connectivity', '--connectivity', [CompletionResultType]::ParameterName, 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'A fixed proxy given here, which wins over every other setting')
            [CompletionResult]::new('--pac', '--pac', [CompletionResultType]::ParameterName, 'A PAC file or URL given here, which wins over every other setting')
            [CompletionResult]::new('--mdatp-config', '--mdatp-config', [CompletionResultType]::ParameterName, 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)')
            [CompletionResult]::new('--wdav-plist', '--wdav-plist', [CompletionResultType]::ParameterName, 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)')
            [CompletionResult]::new('--telemetry-reg', '--telemetry-reg', [CompletionResultType]::ParameterName, 'A .reg export with the TelemetryProxyServer policy')
            [CompletionResult]::new('--netsh-file', '--netsh-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show proxy`')
            [CompletionResult]::new('--advproxy-file', '--advproxy-file', [CompletionResultType]::ParameterName, 'Saved output of `netsh winhttp show advproxy`')
            [CompletionResult]::new('--scutil-file', '--scutil-file', [CompletionResultType]::ParameterName, 'Saved output of `scutil --proxy`')
            [CompletionResult]::new('--gsettings-file', '--gsettings-file', [CompletionResultType]::ParameterName, 'Saved output of `gsettings list-recursively org.gnome.system.proxy`')
            [CompletionResult]::new('--etc-environment', '--etc-environment', [CompletionResultType]::ParameterName, 'An /etc/environment file')
            [CompletionResult]::new('--apt-conf', '--apt-conf', [CompletionResultType]::ParameterName, 'apt configuration files or directories (repeatable)')
            [CompletionResult]::new('--dhcp-lease', '--dhcp-lease', [CompletionResultType]::ParameterName, 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)')
            [CompletionResult]::new('--dhcp-inform', '--dhcp-inform', [CompletionResultType]::ParameterName, 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'resolv.conf for the DNS domains WPAD devolves from')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'DNS servers to use (default: the system''s)')
            [CompletionResult]::new('--dns-concurrency', '--dns-concurrency', [CompletionResultType]::ParameterName, 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound')
            [CompletionResult]::new('--wpad-port', '--wpad-port', [CompletionResultType]::ParameterName, 'Port of the wpad.dat server (80; other values for labs)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate PAC scripts as of this moment (RFC 3339)')
            [CompletionResult]::new('--my-ip', '--my-ip', [CompletionResultType]::ParameterName, 'What myIpAddress() returns in PAC scripts (repeatable)')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Pin a name to an address for this run, HOST=IP (repeatable), as curl''s --resolve; `*.example.test=IP` covers every name under example.test')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'Proxy credentials, USER:PASSWORD (never guessed, never printed)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Probes in flight at once (lowered to what the open-file limit allows)')
            [CompletionResult]::new('--per-proxy', '--per-proxy', [CompletionResultType]::ParameterName, 'Probes in flight through one proxy at once')
            [CompletionResult]::new('--deadline', '--deadline', [CompletionResultType]::ParameterName, 'Deadline for the whole run, in seconds')
            [CompletionResult]::new('--phase-timeout', '--phase-timeout', [CompletionResultType]::ParameterName, 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The zip to write (default: pathprobe-bundle-HOST-TIME.zip here)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The zip to write (default: pathprobe-bundle-HOST-TIME.zip here)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore the default configuration files')
            [CompletionResult]::new('--required-only', '--required-only', [CompletionResultType]::ParameterName, 'Leave out rows the vendor marks optional')
            [CompletionResult]::new('--wpad', '--wpad', [CompletionResultType]::ParameterName, 'Force WPAD auto-discovery (DHCP option 252, then DNS)')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Force a direct connection')
            [CompletionResult]::new('--only-given', '--only-given', [CompletionResultType]::ParameterName, 'Read only the files given with the flags below, not this machine''s')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore the process environment (http_proxy and friends)')
            [CompletionResult]::new('--all-routes', '--all-routes', [CompletionResultType]::ParameterName, 'Probe direct and every proxy found, side by side, for every endpoint')
            [CompletionResult]::new('--no-control', '--no-control', [CompletionResultType]::ParameterName, 'Do not ask the control probes: Windows'' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)')
            [CompletionResult]::new('--insecure-read', '--insecure-read', [CompletionResultType]::ParameterName, 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)')
            [CompletionResult]::new('--redact-hosts', '--redact-hosts', [CompletionResultType]::ParameterName, 'Also replace the host names of this network (proxies, PAC and WPAD servers, DNS search domains, this machine''s name) with placeholders')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Check a bundle''s manifest and show its report')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;bundle;inspect' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show per-phase timings and where each route came from')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;bundle;help' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Check a bundle''s manifest and show its report')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;bundle;help;inspect' {
            break
        }
        'pathprobe;bundle;help;help' {
            break
        }
        'pathprobe;fix' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'What to write')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write here instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write here instead of stdout')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'PAC: send the hosts through this proxy instead of DIRECT ("PROXY host:port")')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'PAC: wrap this existing PAC file, unchanged: hosts not in the list get its answer')
            [CompletionResult]::new('--bare', '--bare', [CompletionResultType]::ParameterName, 'Domain list without the comment header (for consumers that refuse `#` lines)')
            [CompletionResult]::new('--ssl-bump', '--ssl-bump', [CompletionResultType]::ParameterName, 'squid: also write FILE.conf, the squid.conf lines that allow the list and splice it past SSL bumping (never decrypted). Needs --output')
            [CompletionResult]::new('--pac-snippet', '--pac-snippet', [CompletionResultType]::ParameterName, 'PAC: only the lines to paste at the top of an existing FindProxyForURL')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;doctor' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The HTTPS server whose Date header the clock is compared with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for it')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'Read resolvers from this file instead of /etc/resolv.conf')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Ask these DNS servers for the reference URL''s name (for the lookup shown and the clock check) instead of the system''s: the resolver `check --dns-server` would use')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;config;show' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The command whose options to show')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)')
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'Use the options of [site.NAME] in the configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore the default configuration files')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pathprobe;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;config;help;show' {
            break
        }
        'pathprobe;config;help;help' {
            break
        }
        'pathprobe;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Probe every endpoint of a catalog through the route this machine would use, phase by phase, and give each a verdict with a hint')
            [CompletionResult]::new('lab', 'lab', [CompletionResultType]::ParameterValue, 'Run the built-in lab: a small network on loopback that reproduces each situation pathprobe diagnoses (refused, silent, unknown and sinkholed names, untrusted and intercepted TLS, plain, authenticating and dead proxies, PAC failover) and shows the verdicts. Needs no internet')
            [CompletionResult]::new('urls', 'urls', [CompletionResultType]::ParameterValue, 'Service URL catalogs: list what would be probed, compare versions')
            [CompletionResult]::new('pac', 'pac', [CompletionResultType]::ParameterValue, 'Proxy auto-config files: ask one which proxy it gives, check it for mistakes')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Proxy settings: find every one that applies and explain which wins')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Saved reports: compare two runs, render one in another format')
            [CompletionResult]::new('onboarding', 'onboarding', [CompletionResultType]::ParameterValue, 'Onboarding and offboarding packages: what they say, whether they still work, and whether they fit together')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the check on an interval and serve the results to Prometheus')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Run the check and write one zip for a support ticket: the report (JSON, HTML, text), the proxy explanation, the PAC files used, DNS and proxy settings, versions, failing chains and the run''s log, with a manifest of SHA-256 sums. Credentials and tokens are redacted')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Turn a saved check report into the network changes it calls for: what to allow, what to exempt from proxy authentication, what to exempt from SSL inspection — as a ticket text (default) or as the rules (domain list, squid ACL, PAC, CSV, JSON) restricted to what failed')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'What pathprobe can see of this machine, on one screen: resolvers, proxy settings found and which is in force, the trust store, the clock against an HTTPS server''s Date header, the configuration file')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The configuration file: show the effective options and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pathprobe;help;check' {
            break
        }
        'pathprobe;help;lab' {
            break
        }
        'pathprobe;help;urls' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the endpoints of a catalog and how each would be probed')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show endpoints added, removed or changed between two catalog versions')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the catalog''s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON')
            break
        }
        'pathprobe;help;urls;list' {
            break
        }
        'pathprobe;help;urls;diff' {
            break
        }
        'pathprobe;help;urls;export' {
            break
        }
        'pathprobe;help;pac' {
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a PAC file for one or more URLs and show the routes it returns')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip')
            break
        }
        'pathprobe;help;pac;eval' {
            break
        }
        'pathprobe;help;pac;lint' {
            break
        }
        'pathprobe;help;proxy' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets')
            break
        }
        'pathprobe;help;proxy;explain' {
            break
        }
        'pathprobe;help;report' {
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two saved JSON reports: what regressed, recovered or changed')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render a saved JSON report in another format')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the report `check --format json` writes')
            break
        }
        'pathprobe;help;report;diff' {
            break
        }
        'pathprobe;help;report;render' {
            break
        }
        'pathprobe;help;report;schema' {
            break
        }
        'pathprobe;help;onboarding' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity')
            break
        }
        'pathprobe;help;onboarding;inspect' {
            break
        }
        'pathprobe;help;serve' {
            break
        }
        'pathprobe;help;bundle' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Check a bundle''s manifest and show its report')
            break
        }
        'pathprobe;help;bundle;inspect' {
            break
        }
        'pathprobe;help;fix' {
            break
        }
        'pathprobe;help;doctor' {
            break
        }
        'pathprobe;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted')
            break
        }
        'pathprobe;help;config;show' {
            break
        }
        'pathprobe;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

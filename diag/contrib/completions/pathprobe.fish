# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pathprobe_global_optspecs
    string join \n h/help V/version
end

function __fish_pathprobe_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pathprobe_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pathprobe_using_subcommand
    set -l cmd (__fish_pathprobe_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pathprobe -n "__fish_pathprobe_needs_command" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "check" -d 'Probe every endpoint of a catalog through the route this machine would use, phase by phase, and give each a verdict with a hint'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "lab" -d 'Run the built-in lab: a small network on loopback that reproduces each situation pathprobe diagnoses (refused, silent, unknown and sinkholed names, untrusted and intercepted TLS, plain, authenticating and dead proxies, PAC failover) and shows the verdicts. Needs no internet'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "urls" -d 'Service URL catalogs: list what would be probed, compare versions'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "pac" -d 'Proxy auto-config files: ask one which proxy it gives, check it for mistakes'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "proxy" -d 'Proxy settings: find every one that applies and explain which wins'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "report" -d 'Saved reports: compare two runs, render one in another format'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "onboarding" -d 'Onboarding and offboarding packages: what they say, whether they still work, and whether they fit together'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "serve" -d 'Run the check on an interval and serve the results to Prometheus'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "bundle" -d 'Run the check and write one zip for a support ticket: the report (JSON, HTML, text), the proxy explanation, the PAC files used, DNS and proxy settings, versions, failing chains and the run\'s log, with a manifest of SHA-256 sums. Credentials and tokens are redacted'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "fix" -d 'Turn a saved check report into the network changes it calls for: what to allow, what to exempt from proxy authentication, what to exempt from SSL inspection — as a ticket text (default) or as the rules (domain list, squid ACL, PAC, CSV, JSON) restricted to what failed'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "doctor" -d 'What pathprobe can see of this machine, on one screen: resolvers, proxy settings found and which is in force, the trust store, the clock against an HTTPS server\'s Date header, the configuration file'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "config" -d 'The configuration file: show the effective options and where each came from'
complete -c pathprobe -n "__fish_pathprobe_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l config -d 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l site -d 'Use the options of [site.NAME] in the configuration file' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l sheet -d 'Read only this sheet of a workbook' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l column -d 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l catalog-proxy -d 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l profile -d 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)' -r -f -a "system\t'What browsers and command-line tools on the OS use'
agent\t'What the Defender for Endpoint agent on the OS uses'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l proxy -d 'A fixed proxy given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l pac -d 'A PAC file or URL given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l mdatp-config -d 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l wdav-plist -d 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l telemetry-reg -d 'A .reg export with the TelemetryProxyServer policy' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l netsh-file -d 'Saved output of `netsh winhttp show proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l advproxy-file -d 'Saved output of `netsh winhttp show advproxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l scutil-file -d 'Saved output of `scutil --proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l gsettings-file -d 'Saved output of `gsettings list-recursively org.gnome.system.proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l etc-environment -d 'An /etc/environment file' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l apt-conf -d 'apt configuration files or directories (repeatable)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l dhcp-lease -d 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l dhcp-inform -d 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l resolv-conf -d 'resolv.conf for the DNS domains WPAD devolves from' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l dns-server -l dns -d 'DNS servers to use (default: the system\'s)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l dns-concurrency -d 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l wpad-port -d 'Port of the wpad.dat server (80; other values for labs)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l at -d 'Evaluate PAC scripts as of this moment (RFC 3339)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l my-ip -d 'What myIpAddress() returns in PAC scripts (repeatable)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l resolve -d 'Pin a name to an address for this run, HOST=IP (repeatable), as curl\'s --resolve; `*.example.test=IP` covers every name under example.test' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l ca-cert -d 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l proxy-user -d 'Proxy credentials, USER:PASSWORD (never guessed, never printed)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l concurrency -d 'Probes in flight at once (lowered to what the open-file limit allows)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l per-proxy -d 'Probes in flight through one proxy at once' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l deadline -d 'Deadline for the whole run, in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l phase-timeout -d 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l format -d 'Format of the report on stdout (and of `--output FILE` without a `FORMAT=`)' -r -f -a "table\t''
json\t''
csv\t''
junit\t''
markdown\t''
html\t''
lines\t''
prometheus\t''"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -s o -l output -d 'Write the report to a file instead of stdout: `FILE` in the --format, or `FORMAT=FILE` (repeatable) for several formats at once, e.g. `--output junit=report.xml --output html=report.html`; stdout then still gets the --format' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l baseline -d 'Compare with an earlier JSON report: mark endpoints that regressed or recovered' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l fail-on -d 'What makes the exit code 1: any required endpoint failing (`failure`), or only a required endpoint that was ok in the --baseline and is not now (`regression`)' -r -f -a "failure\t'Any required endpoint that is not ok'
regression\t'Only required endpoints that regressed since the --baseline'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l push -d 'Push the run\'s metrics to a Prometheus Pushgateway at this URL (`http://gateway:9091`; the job is `pathprobe`, the instance this machine\'s name, unless the URL already names them). A push that fails is said on stderr and makes the exit code 1' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l no-config -d 'Ignore the default configuration files'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l wpad -d 'Force WPAD auto-discovery (DHCP option 252, then DNS)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l direct -d 'Force a direct connection'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l only-given -d 'Read only the files given with the flags below, not this machine\'s'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l no-env -d 'Ignore the process environment (http_proxy and friends)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l all-routes -d 'Probe direct and every proxy found, side by side, for every endpoint'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l no-control -d 'Do not ask the control probes: Windows\' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -l insecure-read -d 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -s v -l verbose -d 'Show per-phase timings and where each route came from'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand check" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand lab" -l scenario -d 'Scenario files (TOML) to run instead of the built-in ones' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand lab" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand lab" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand lab" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -f -a "list" -d 'Show the endpoints of a catalog and how each would be probed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -f -a "diff" -d 'Show endpoints added, removed or changed between two catalog versions'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -f -a "export" -d 'Write the catalog\'s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and not __fish_seen_subcommand_from list diff export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l sheet -d 'Read only this sheet of a workbook' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l column -d 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l catalog-proxy -d 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show the source file, sheet and row of each endpoint'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from diff" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l sheet -d 'Read only this sheet of a workbook' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l column -d 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l catalog-proxy -d 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l as -d 'What to write' -r -f -a "domains\t'One host or *.domain per line (firewall external dynamic lists)'
squid\t'A squid dstdomain ACL file (and, with --ssl-bump, a squid.conf snippet)'
pac\t'A PAC file sending the hosts DIRECT (or --via) before the rest'
csv\t'Every field, one row per catalog entry'
json\t'Every field, as JSON'
text\t'What to paste into a ticket, grouped by what must be done'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -s o -l output -d 'Write here instead of stdout' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l via -d 'PAC: send the hosts through this proxy instead of DIRECT ("PROXY host:port")' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l base -d 'PAC: wrap this existing PAC file, unchanged: hosts not in the list get its answer' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l bare -d 'Domain list without the comment header (for consumers that refuse `#` lines)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l ssl-bump -d 'squid: also write FILE.conf, the squid.conf lines that allow the list and splice it past SSL bumping (never decrypted). Needs --output'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -l pac-snippet -d 'PAC: only the lines to paste at the top of an existing FindProxyForURL'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the endpoints of a catalog and how each would be probed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Show endpoints added, removed or changed between two catalog versions'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the catalog\'s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand urls; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and not __fish_seen_subcommand_from eval lint help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and not __fish_seen_subcommand_from eval lint help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and not __fish_seen_subcommand_from eval lint help" -f -a "eval" -d 'Evaluate a PAC file for one or more URLs and show the routes it returns'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and not __fish_seen_subcommand_from eval lint help" -f -a "lint" -d 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and not __fish_seen_subcommand_from eval lint help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s p -l pac -d 'The PAC script: a file, or an http(s):// URL to fetch it from' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s u -l url -d 'A URL to evaluate (repeat for several)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s f -l url-file -d 'A file of URLs to evaluate, one per line (pactester\'s -f)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l urls -d 'Evaluate every probe URL of a catalog (default: the embedded one)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l sheet -d 'Read only this sheet of a workbook given to --urls' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s h -l host -d 'The host passed to the script instead of the URL\'s (pactester\'s -h)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s c -l my-ip -d 'What myIpAddress() returns (pactester\'s -c); repeat for myIpAddressEx()' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l dns -d 'A fixed DNS answer for the script\'s lookups, HOST=IP (repeatable)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l dns-server -d 'Send the script\'s other lookups to this DNS server instead of the system\'s' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l at -d 'Evaluate as of this moment (RFC 3339, e.g. 2026-03-02T08:30:00+01:00), for scripts that route by day or time' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l timeout -d 'Time limit for loading the script and for each evaluation, in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l format -d 'Output format; `raw` prints only what the script returned, one line per URL, as pactester does' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'
raw\t'The script\'s return values only, one per line'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l help -d 'Print help (-h is pactester\'s host flag here)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l no-dns -d 'Resolve only the names given with --dns; nothing goes to the network'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -l full-url -d 'Pass the full URL to the script (path and query included), as WinHTTP-style clients do; browsers strip https URLs to scheme://host:port/'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s e -d 'Accepted for pactester compatibility: Microsoft\'s extensions are always on'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s v -l verbose -d 'Show what the script received (url and host) for each URL'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from eval" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from lint" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from help" -f -a "eval" -d 'Evaluate a PAC file for one or more URLs and show the routes it returns'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand pac; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and not __fish_seen_subcommand_from explain help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and not __fish_seen_subcommand_from explain help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and not __fish_seen_subcommand_from explain help" -f -a "explain" -d 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and not __fish_seen_subcommand_from explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l urls -d 'Explain every probe URL of a catalog (default: the embedded one)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l os -d 'Apply this OS\'s proxy rules (default: the OS pathprobe runs on)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l profile -d 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)' -r -f -a "system\t'What browsers and command-line tools on the OS use'
agent\t'What the Defender for Endpoint agent on the OS uses'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l proxy -d 'A fixed proxy given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l pac -d 'A PAC file or URL given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l mdatp-config -d 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l wdav-plist -d 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l telemetry-reg -d 'A .reg export with the TelemetryProxyServer policy' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l netsh-file -d 'Saved output of `netsh winhttp show proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l advproxy-file -d 'Saved output of `netsh winhttp show advproxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l scutil-file -d 'Saved output of `scutil --proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l gsettings-file -d 'Saved output of `gsettings list-recursively org.gnome.system.proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l etc-environment -d 'An /etc/environment file' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l apt-conf -d 'apt configuration files or directories (repeatable)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l dhcp-lease -d 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l dhcp-inform -d 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l resolv-conf -d 'resolv.conf for the DNS domains WPAD devolves from' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l dns-server -l dns -d 'DNS servers to use (default: the system\'s)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l dns-concurrency -d 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l wpad-port -d 'Port of the wpad.dat server (80; other values for labs)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l at -d 'Evaluate PAC scripts as of this moment (RFC 3339)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l my-ip -d 'What myIpAddress() returns in PAC scripts (repeatable)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l wpad -d 'Force WPAD auto-discovery (DHCP option 252, then DNS)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l direct -d 'Force a direct connection'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l only-given -d 'Read only the files given with the flags below, not this machine\'s'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -l no-env -d 'Ignore the process environment (http_proxy and friends)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'Also list the places looked at that hold nothing'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -f -a "diff" -d 'Compare two saved JSON reports: what regressed, recovered or changed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -f -a "render" -d 'Render a saved JSON report in another format'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -f -a "schema" -d 'Print the JSON Schema of the report `check --format json` writes'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and not __fish_seen_subcommand_from diff render schema help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from diff" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from render" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
junit\t''
markdown\t''
html\t''
lines\t''
prometheus\t''"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from render" -s v -l verbose -d 'Show per-phase timings and where each route came from'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from schema" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two saved JSON reports: what regressed, recovered or changed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "render" -d 'Render a saved JSON report in another format'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Print the JSON Schema of the report `check --format json` writes'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and not __fish_seen_subcommand_from inspect help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and not __fish_seen_subcommand_from inspect help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and not __fish_seen_subcommand_from inspect help" -f -a "inspect" -d 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and not __fish_seen_subcommand_from inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from inspect" -l org-id -d 'The organisation the packages must belong to' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from inspect" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from inspect" -l show-org-id -d 'Show organisation ids in full (masked by default)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand onboarding; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l config -d 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l site -d 'Use the options of [site.NAME] in the configuration file' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l sheet -d 'Read only this sheet of a workbook' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l column -d 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l catalog-proxy -d 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l profile -d 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)' -r -f -a "system\t'What browsers and command-line tools on the OS use'
agent\t'What the Defender for Endpoint agent on the OS uses'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l proxy -d 'A fixed proxy given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l pac -d 'A PAC file or URL given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l mdatp-config -d 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l wdav-plist -d 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l telemetry-reg -d 'A .reg export with the TelemetryProxyServer policy' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l netsh-file -d 'Saved output of `netsh winhttp show proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l advproxy-file -d 'Saved output of `netsh winhttp show advproxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l scutil-file -d 'Saved output of `scutil --proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l gsettings-file -d 'Saved output of `gsettings list-recursively org.gnome.system.proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l etc-environment -d 'An /etc/environment file' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l apt-conf -d 'apt configuration files or directories (repeatable)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l dhcp-lease -d 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l dhcp-inform -d 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l resolv-conf -d 'resolv.conf for the DNS domains WPAD devolves from' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l dns-server -l dns -d 'DNS servers to use (default: the system\'s)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l dns-concurrency -d 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l wpad-port -d 'Port of the wpad.dat server (80; other values for labs)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l at -d 'Evaluate PAC scripts as of this moment (RFC 3339)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l my-ip -d 'What myIpAddress() returns in PAC scripts (repeatable)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l resolve -d 'Pin a name to an address for this run, HOST=IP (repeatable), as curl\'s --resolve; `*.example.test=IP` covers every name under example.test' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l ca-cert -d 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l proxy-user -d 'Proxy credentials, USER:PASSWORD (never guessed, never printed)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l concurrency -d 'Probes in flight at once (lowered to what the open-file limit allows)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l per-proxy -d 'Probes in flight through one proxy at once' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l deadline -d 'Deadline for the whole run, in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l phase-timeout -d 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l listen -d 'Address to listen on, e.g. 127.0.0.1:9717 or [::]:9717' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l interval -d 'Time between runs: seconds, or with a unit (`90s`, `5m`, `1h`); `0` runs only on `/probe` requests' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l max-runs -d 'Stop after this many runs (for tests and benchmarks; default: never)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l no-config -d 'Ignore the default configuration files'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l wpad -d 'Force WPAD auto-discovery (DHCP option 252, then DNS)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l direct -d 'Force a direct connection'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l only-given -d 'Read only the files given with the flags below, not this machine\'s'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l no-env -d 'Ignore the process environment (http_proxy and friends)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l all-routes -d 'Probe direct and every proxy found, side by side, for every endpoint'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l no-control -d 'Do not ask the control probes: Windows\' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -l insecure-read -d 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand serve" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l config -d 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l site -d 'Use the options of [site.NAME] in the configuration file' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l sheet -d 'Read only this sheet of a workbook' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l column -d 'The column a header names holds ROLE (url, host, port, geography, category, service, description, comments, requirement, os), for headers whose words are not known: --column url="Web address". Repeatable' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l catalog-proxy -d 'Fetch catalogs given by URL through this proxy (http://host:port); by default they are fetched directly' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l geo -d 'Data location: WW rows plus this one\'s (US, EU, UK, AU, "US Gov", GCC, "GCC High", DoD; GW_US style values are accepted too)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l onboarding -d 'Take the data location from a Defender for Endpoint onboarding file (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l os -d 'Only rows for this operating system (rows without platform flags apply to all)' -r -f -a "windows\t'Windows (any generation)'
macos\t'macOS'
linux\t'Linux'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l category -d 'Only rows whose category or service contains this text (case-insensitive)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l connectivity -d 'Only the rows of this connectivity: `standard` (per-region service hosts) or `streamlined` (the consolidated *.endpoint.security.microsoft.com hosts); --onboarding sets it from the package' -r -f -a "standard\t'The per-region service hosts'
streamlined\t'The consolidated *.endpoint.security.microsoft.com hosts'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l profile -d 'Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint)' -r -f -a "system\t'What browsers and command-line tools on the OS use'
agent\t'What the Defender for Endpoint agent on the OS uses'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l proxy -d 'A fixed proxy given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l pac -d 'A PAC file or URL given here, which wins over every other setting' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l mdatp-config -d 'Defender for Endpoint Linux managed configuration (mdatp_managed.json)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l wdav-plist -d 'Defender for Endpoint macOS managed preference (com.microsoft.wdav plist)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l telemetry-reg -d 'A .reg export with the TelemetryProxyServer policy' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l netsh-file -d 'Saved output of `netsh winhttp show proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l advproxy-file -d 'Saved output of `netsh winhttp show advproxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l scutil-file -d 'Saved output of `scutil --proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l gsettings-file -d 'Saved output of `gsettings list-recursively org.gnome.system.proxy`' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l etc-environment -d 'An /etc/environment file' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l apt-conf -d 'apt configuration files or directories (repeatable)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l dhcp-lease -d 'DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l dhcp-inform -d 'During auto-detection, also ask the DHCP server for option 252 with a DHCPINFORM on this interface (needs root: the DHCP client port)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l resolv-conf -d 'resolv.conf for the DNS domains WPAD devolves from' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l dns-server -l dns -d 'DNS servers to use (default: the system\'s)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l dns-concurrency -d 'DNS lookups in flight at once (each asks A and AAAA); the others wait for a slot without their DNS time limit running. 0: no bound' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l wpad-port -d 'Port of the wpad.dat server (80; other values for labs)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l at -d 'Evaluate PAC scripts as of this moment (RFC 3339)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l my-ip -d 'What myIpAddress() returns in PAC scripts (repeatable)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l resolve -d 'Pin a name to an address for this run, HOST=IP (repeatable), as curl\'s --resolve; `*.example.test=IP` covers every name under example.test' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l ca-cert -d 'Extra trust anchors (PEM) for private origins; they count as expected issuers, never as public roots' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l proxy-user -d 'Proxy credentials, USER:PASSWORD (never guessed, never printed)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l concurrency -d 'Probes in flight at once (lowered to what the open-file limit allows)' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l per-proxy -d 'Probes in flight through one proxy at once' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l deadline -d 'Deadline for the whole run, in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l phase-timeout -d 'Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -s o -l output -d 'The zip to write (default: pathprobe-bundle-HOST-TIME.zip here)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l no-config -d 'Ignore the default configuration files'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l required-only -d 'Leave out rows the vendor marks optional'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l wpad -d 'Force WPAD auto-discovery (DHCP option 252, then DNS)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l direct -d 'Force a direct connection'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l only-given -d 'Read only the files given with the flags below, not this machine\'s'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l no-env -d 'Ignore the process environment (http_proxy and friends)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l all-routes -d 'Probe direct and every proxy found, side by side, for every endpoint'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l no-control -d 'Do not ask the control probes: Windows\' connectivity test (http://www.msftconnecttest.com/connecttest.txt through the routes it gets, and the name dns.msftncsi.com), which tell "no internet", a captive portal or rewritten DNS from "these endpoints are blocked". They are evidence for findings only, never in the totals or the exit code. (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false, no, off or empty does not.)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l insecure-read -d 'Read the HTTP status even over a chain that failed verification (the verdict stays; nothing else is sent)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -l redact-hosts -d 'Also replace the host names of this network (proxies, PAC and WPAD servers, DNS search domains, this machine\'s name) with placeholders'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -a "inspect" -d 'Check a bundle\'s manifest and show its report'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and not __fish_seen_subcommand_from inspect help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from inspect" -l format -d 'Output format of the report' -r -f -a "table\t''
json\t''
csv\t''
junit\t''
markdown\t''
html\t''
lines\t''
prometheus\t''"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Show per-phase timings and where each route came from'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Check a bundle\'s manifest and show its report'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l as -d 'What to write' -r -f -a "domains\t'One host or *.domain per line (firewall external dynamic lists)'
squid\t'A squid dstdomain ACL file (and, with --ssl-bump, a squid.conf snippet)'
pac\t'A PAC file sending the hosts DIRECT (or --via) before the rest'
csv\t'Every field, one row per catalog entry'
json\t'Every field, as JSON'
text\t'What to paste into a ticket, grouped by what must be done'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -s o -l output -d 'Write here instead of stdout' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l via -d 'PAC: send the hosts through this proxy instead of DIRECT ("PROXY host:port")' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l base -d 'PAC: wrap this existing PAC file, unchanged: hosts not in the list get its answer' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l bare -d 'Domain list without the comment header (for consumers that refuse `#` lines)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l ssl-bump -d 'squid: also write FILE.conf, the squid.conf lines that allow the list and splice it past SSL bumping (never decrypted). Needs --output'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -l pac-snippet -d 'PAC: only the lines to paste at the top of an existing FindProxyForURL'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand fix" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -l url -d 'The HTTPS server whose Date header the clock is compared with' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -l timeout -d 'Seconds to wait for it' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -l resolv-conf -d 'Read resolvers from this file instead of /etc/resolv.conf' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -l dns-server -d 'Ask these DNS servers for the reference URL\'s name (for the lookup shown and the clock check) instead of the system\'s: the resolver `check --dns-server` would use' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -l for -d 'The command whose options to show' -r -f -a "check\t'`pathprobe check`'
serve\t'`pathprobe serve`'
bundle\t'`pathprobe bundle`'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Read options from this TOML file instead of the default ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml)' -r -F
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -l site -d 'Use the options of [site.NAME] in the configuration file' -r
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'JSON (with schema_version)'
csv\t'CSV with a header row'"
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -l no-config -d 'Ignore the default configuration files'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "check" -d 'Probe every endpoint of a catalog through the route this machine would use, phase by phase, and give each a verdict with a hint'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "lab" -d 'Run the built-in lab: a small network on loopback that reproduces each situation pathprobe diagnoses (refused, silent, unknown and sinkholed names, untrusted and intercepted TLS, plain, authenticating and dead proxies, PAC failover) and shows the verdicts. Needs no internet'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "urls" -d 'Service URL catalogs: list what would be probed, compare versions'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "pac" -d 'Proxy auto-config files: ask one which proxy it gives, check it for mistakes'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "proxy" -d 'Proxy settings: find every one that applies and explain which wins'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "report" -d 'Saved reports: compare two runs, render one in another format'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "onboarding" -d 'Onboarding and offboarding packages: what they say, whether they still work, and whether they fit together'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "serve" -d 'Run the check on an interval and serve the results to Prometheus'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "bundle" -d 'Run the check and write one zip for a support ticket: the report (JSON, HTML, text), the proxy explanation, the PAC files used, DNS and proxy settings, versions, failing chains and the run\'s log, with a manifest of SHA-256 sums. Credentials and tokens are redacted'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "fix" -d 'Turn a saved check report into the network changes it calls for: what to allow, what to exempt from proxy authentication, what to exempt from SSL inspection — as a ticket text (default) or as the rules (domain list, squid ACL, PAC, CSV, JSON) restricted to what failed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "doctor" -d 'What pathprobe can see of this machine, on one screen: resolvers, proxy settings found and which is in force, the trust store, the clock against an HTTPS server\'s Date header, the configuration file'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "config" -d 'The configuration file: show the effective options and where each came from'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and not __fish_seen_subcommand_from check lab urls pac proxy report onboarding serve bundle fix doctor config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from urls" -f -a "list" -d 'Show the endpoints of a catalog and how each would be probed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from urls" -f -a "diff" -d 'Show endpoints added, removed or changed between two catalog versions'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from urls" -f -a "export" -d 'Write the catalog\'s hosts as rules for firewalls, proxies and PAC files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV or JSON'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from pac" -f -a "eval" -d 'Evaluate a PAC file for one or more URLs and show the routes it returns'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from pac" -f -a "lint" -d 'Check a PAC file for common mistakes: paths that return nothing, hidden DNS lookups, lookups before name checks, unreachable rules, host comparisons that can never match, route strings clients skip'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "explain" -d 'Show every proxy setting found (environment, agent configuration, OS settings, WPAD), which one is in force for the chosen profile and why, and the routes each URL gets'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "diff" -d 'Compare two saved JSON reports: what regressed, recovered or changed'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "render" -d 'Render a saved JSON report in another format'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "schema" -d 'Print the JSON Schema of the report `check --format json` writes'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from onboarding" -f -a "inspect" -d 'Read onboarding and offboarding packages in any form the vendor ships (Windows .onboarding/.offboarding files and scripts, Linux JSON and script, macOS plist, or the .zip holding them): kind, organisation, data location, connectivity, datacenter, gateway, version, signer and validity'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "inspect" -d 'Check a bundle\'s manifest and show its report'
complete -c pathprobe -n "__fish_pathprobe_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective options of a command: each value and where it came from (command line, configuration file and line, default). Secrets are redacted'

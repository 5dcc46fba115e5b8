_pathprobe() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="pathprobe"
                ;;
            pathprobe,bundle)
                cmd="pathprobe__subcmd__bundle"
                ;;
            pathprobe,check)
                cmd="pathprobe__subcmd__check"
                ;;
            pathprobe,config)
                cmd="pathprobe__subcmd__config"
                ;;
            pathprobe,doctor)
                cmd="pathprobe__subcmd__doctor"
                ;;
            pathprobe,fix)
                cmd="pathprobe__subcmd__fix"
                ;;
            pathprobe,help)
                cmd="pathprobe__subcmd__help"
                ;;
            pathprobe,lab)
                cmd="pathprobe__subcmd__lab"
                ;;
            pathprobe,onboarding)
                cmd="pathprobe__subcmd__onboarding"
                ;;
            pathprobe,pac)
                cmd="pathprobe__subcmd__pac"
                ;;
            pathprobe,proxy)
                cmd="pathprobe__subcmd__proxy"
                ;;
            pathprobe,report)
                cmd="pathprobe__subcmd__report"
                ;;
            pathprobe,serve)
                cmd="pathprobe__subcmd__serve"
                ;;
            pathprobe,urls)
                cmd="pathprobe__subcmd__urls"
                ;;
            pathprobe__subcmd__bundle,help)
                cmd="pathprobe__subcmd__bundle__subcmd__help"
                ;;
            pathprobe__subcmd__bundle,inspect)
                cmd="pathprobe__subcmd__bundle__subcmd__inspect"
                ;;
            pathprobe__subcmd__bundle__subcmd__help,help)
                cmd="pathprobe__subcmd__bundle__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__bundle__subcmd__help,inspect)
                cmd="pathprobe__subcmd__bundle__subcmd__help__subcmd__inspect"
                ;;
            pathprobe__subcmd__config,help)
                cmd="pathprobe__subcmd__config__subcmd__help"
                ;;
            pathprobe__subcmd__config,show)
                cmd="pathprobe__subcmd__config__subcmd__show"
                ;;
            pathprobe__subcmd__config__subcmd__help,help)
                cmd="pathprobe__subcmd__config__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__config__subcmd__help,show)
                cmd="pathprobe__subcmd__config__subcmd__help__subcmd__show"
                ;;
            pathprobe__subcmd__help,bundle)
                cmd="pathprobe__subcmd__help__subcmd__bundle"
                ;;
            pathprobe__subcmd__help,check)
                cmd="pathprobe__subcmd__help__subcmd__check"
                ;;
            pathprobe__subcmd__help,config)
                cmd="pathprobe__subcmd__help__subcmd__config"
                ;;
            pathprobe__subcmd__help,doctor)
                cmd="pathprobe__subcmd__help__subcmd__doctor"
                ;;
            pathprobe__subcmd__help,fix)
                cmd="pathprobe__subcmd__help__subcmd__fix"
                ;;
            pathprobe__subcmd__help,help)
                cmd="pathprobe__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__help,lab)
                cmd="pathprobe__subcmd__help__subcmd__lab"
                ;;
            pathprobe__subcmd__help,onboarding)
                cmd="pathprobe__subcmd__help__subcmd__onboarding"
                ;;
            pathprobe__subcmd__help,pac)
                cmd="pathprobe__subcmd__help__subcmd__pac"
                ;;
            pathprobe__subcmd__help,proxy)
                cmd="pathprobe__subcmd__help__subcmd__proxy"
                ;;
            pathprobe__subcmd__help,report)
                cmd="pathprobe__subcmd__help__subcmd__report"
                ;;
            pathprobe__subcmd__help,serve)
                cmd="pathprobe__subcmd__help__subcmd__serve"
                ;;
            pathprobe__subcmd__help,urls)
                cmd="pathprobe__subcmd__help__subcmd__urls"
                ;;
            pathprobe__subcmd__help__subcmd__bundle,inspect)
                cmd="pathprobe__subcmd__help__subcmd__bundle__subcmd__inspect"
                ;;
            pathprobe__subcmd__help__subcmd__config,show)
                cmd="pathprobe__subcmd__help__subcmd__config__subcmd__show"
                ;;
            pathprobe__subcmd__help__subcmd__onboarding,inspect)
                cmd="pathprobe__subcmd__help__subcmd__onboarding__subcmd__inspect"
                ;;
            pathprobe__subcmd__help__subcmd__pac,eval)
                cmd="pathprobe__subcmd__help__subcmd__pac__subcmd__eval"
                ;;
            pathprobe__subcmd__help__subcmd__pac,lint)
                cmd="pathprobe__subcmd__help__subcmd__pac__subcmd__lint"
                ;;
            pathprobe__subcmd__help__subcmd__proxy,explain)
                cmd="pathprobe__subcmd__help__subcmd__proxy__subcmd__explain"
                ;;
            pathprobe__subcmd__help__subcmd__report,diff)
                cmd="pathprobe__subcmd__help__subcmd__report__subcmd__diff"
                ;;
            pathprobe__subcmd__help__subcmd__report,render)
                cmd="pathprobe__subcmd__help__subcmd__report__subcmd__render"
                ;;
            pathprobe__subcmd__help__subcmd__report,schema)
                cmd="pathprobe__subcmd__help__subcmd__report__subcmd__schema"
                ;;
            pathprobe__subcmd__help__subcmd__urls,diff)
                cmd="pathprobe__subcmd__help__subcmd__urls__subcmd__diff"
                ;;
            pathprobe__subcmd__help__subcmd__urls,export)
                cmd="pathprobe__subcmd__help__subcmd__urls__subcmd__export"
                ;;
            pathprobe__subcmd__help__subcmd__urls,list)
                cmd="pathprobe__subcmd__help__subcmd__urls__subcmd__list"
                ;;
            pathprobe__subcmd__onboarding,help)
                cmd="pathprobe__subcmd__onboarding__subcmd__help"
                ;;
            pathprobe__subcmd__onboarding,inspect)
                cmd="pathprobe__subcmd__onboarding__subcmd__inspect"
                ;;
            pathprobe__subcmd__onboarding__subcmd__help,help)
                cmd="pathprobe__subcmd__onboarding__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__onboarding__subcmd__help,inspect)
                cmd="pathprobe__subcmd__onboarding__subcmd__help__subcmd__inspect"
                ;;
            pathprobe__subcmd__pac,eval)
                cmd="pathprobe__subcmd__pac__subcmd__eval"
                ;;
            pathprobe__subcmd__pac,help)
                cmd="pathprobe__subcmd__pac__subcmd__help"
                ;;
            pathprobe__subcmd__pac,lint)
                cmd="pathprobe__subcmd__pac__subcmd__lint"
                ;;
            pathprobe__subcmd__pac__subcmd__help,eval)
                cmd="pathprobe__subcmd__pac__subcmd__help__subcmd__eval"
                ;;
            pathprobe__subcmd__pac__subcmd__help,help)
                cmd="pathprobe__subcmd__pac__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__pac__subcmd__help,lint)
                cmd="pathprobe__subcmd__pac__subcmd__help__subcmd__lint"
                ;;
            pathprobe__subcmd__proxy,explain)
                cmd="pathprobe__subcmd__proxy__subcmd__explain"
                ;;
            pathprobe__subcmd__proxy,help)
                cmd="pathprobe__subcmd__proxy__subcmd__help"
                ;;
            pathprobe__subcmd__proxy__subcmd__help,explain)
                cmd="pathprobe__subcmd__proxy__subcmd__help__subcmd__explain"
                ;;
            pathprobe__subcmd__proxy__subcmd__help,help)
                cmd="pathprobe__subcmd__proxy__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__report,diff)
                cmd="pathprobe__subcmd__report__subcmd__diff"
                ;;
            pathprobe__subcmd__report,help)
                cmd="pathprobe__subcmd__report__subcmd__help"
                ;;
            pathprobe__subcmd__report,render)
                cmd="pathprobe__subcmd__report__subcmd__render"
                ;;
            pathprobe__subcmd__report,schema)
                cmd="pathprobe__subcmd__report__subcmd__schema"
                ;;
            pathprobe__subcmd__report__subcmd__help,diff)
                cmd="pathprobe__subcmd__report__subcmd__help__subcmd__diff"
                ;;
            pathprobe__subcmd__report__subcmd__help,help)
                cmd="pathprobe__subcmd__report__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__report__subcmd__help,render)
                cmd="pathprobe__subcmd__report__subcmd__help__subcmd__render"
                ;;
            pathprobe__subcmd__report__subcmd__help,schema)
                cmd="pathprobe__subcmd__report__subcmd__help__subcmd__schema"
                ;;
            pathprobe__subcmd__urls,diff)
                cmd="pathprobe__subcmd__urls__subcmd__diff"
                ;;
            pathprobe__subcmd__urls,export)
                cmd="pathprobe__subcmd__urls__subcmd__export"
                ;;
            pathprobe__subcmd__urls,help)
                cmd="pathprobe__subcmd__urls__subcmd__help"
                ;;
            pathprobe__subcmd__urls,list)
                cmd="pathprobe__subcmd__urls__subcmd__list"
                ;;
            pathprobe__subcmd__urls__subcmd__help,diff)
                cmd="pathprobe__subcmd__urls__subcmd__help__subcmd__diff"
                ;;
            pathprobe__subcmd__urls__subcmd__help,export)
                cmd="pathprobe__subcmd__urls__subcmd__help__subcmd__export"
                ;;
            pathprobe__subcmd__urls__subcmd__help,help)
                cmd="pathprobe__subcmd__urls__subcmd__help__subcmd__help"
                ;;
            pathprobe__subcmd__urls__subcmd__help,list)
                cmd="pathprobe__subcmd__urls__subcmd__help__subcmd__list"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        pathprobe)
            opts="-h -V --help --version check lab urls pac proxy report onboarding serve bundle fix doctor config help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__bundle)
            opts="-o -h -V --config --site --no-config --sheet --column --catalog-proxy --geo --onboarding --os --category --required-only --connectivity --profile --proxy --pac --wpad --direct --only-given --no-env --mdatp-config --wdav-plist --telemetry-reg --netsh-file --advproxy-file --scutil-file --gsettings-file --etc-environment --apt-conf --dhcp-lease --dhcp-inform --resolv-conf --dns --dns-server --dns-concurrency --wpad-port --at --my-ip --all-routes --no-control --resolve --ca-cert --proxy-user --concurrency --per-proxy --deadline --phase-timeout --insecure-read --output --redact-hosts --help --version inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --site)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --column)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "system agent" -- "${cur}"))
                    return 0
                    ;;
                --proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pac)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mdatp-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wdav-plist)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --telemetry-reg)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --netsh-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --advproxy-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scutil-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gsettings-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --etc-environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --apt-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-lease)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-inform)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolv-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wpad-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --at)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --my-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolve)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proxy-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --per-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --deadline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --phase-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__bundle__subcmd__help)
            opts="inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__bundle__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__bundle__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__bundle__subcmd__inspect)
            opts="-v -h -V --format --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "table json csv junit markdown html lines prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__check)
            opts="-o -v -h -V --config --site --no-config --sheet --column --catalog-proxy --geo --onboarding --os --category --required-only --connectivity --profile --proxy --pac --wpad --direct --only-given --no-env --mdatp-config --wdav-plist --telemetry-reg --netsh-file --advproxy-file --scutil-file --gsettings-file --etc-environment --apt-conf --dhcp-lease --dhcp-inform --resolv-conf --dns --dns-server --dns-concurrency --wpad-port --at --my-ip --all-routes --no-control --resolve --ca-cert --proxy-user --concurrency --per-proxy --deadline --phase-timeout --insecure-read --format --output --baseline --fail-on --push --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --site)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --column)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "system agent" -- "${cur}"))
                    return 0
                    ;;
                --proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pac)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mdatp-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wdav-plist)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --telemetry-reg)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --netsh-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --advproxy-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scutil-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gsettings-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --etc-environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --apt-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-lease)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-inform)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolv-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wpad-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --at)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --my-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolve)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proxy-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --per-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --deadline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --phase-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv junit markdown html lines prometheus" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "failure regression" -- "${cur}"))
                    return 0
                    ;;
                --push)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__config)
            opts="-h -V --help --version show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__config__subcmd__help)
            opts="show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__config__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__config__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__config__subcmd__show)
            opts="-h -V --for --config --site --no-config --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --for)
                    COMPREPLY=($(compgen -W "check serve bundle" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --site)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__doctor)
            opts="-h -V --url --timeout --resolv-conf --dns-server --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolv-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__fix)
            opts="-o -h -V --as --output --bare --ssl-bump --pac-snippet --via --base --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --as)
                    COMPREPLY=($(compgen -W "domains squid pac csv json text" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --via)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help)
            opts="check lab urls pac proxy report onboarding serve bundle fix doctor config help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__bundle)
            opts="inspect"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__bundle__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__check)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__config)
            opts="show"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__config__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__doctor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__fix)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__lab)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__onboarding)
            opts="inspect"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__onboarding__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__pac)
            opts="eval lint"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__pac__subcmd__eval)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__pac__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__proxy)
            opts="explain"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__proxy__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__report)
            opts="diff render schema"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__report__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__report__subcmd__render)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__report__subcmd__schema)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__serve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__urls)
            opts="list diff export"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__urls__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__urls__subcmd__export)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__help__subcmd__urls__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__lab)
            opts="-h -V --scenario --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --scenario)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__onboarding)
            opts="-h -V --help --version inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__onboarding__subcmd__help)
            opts="inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__onboarding__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__onboarding__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__onboarding__subcmd__inspect)
            opts="-h -V --show-org-id --org-id --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --org-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac)
            opts="-h -V --help --version eval lint help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__eval)
            opts="-p -u -f -h -c -e -v -V --help --pac --url --url-file --urls --sheet --geo --onboarding --os --category --required-only --connectivity --host --my-ip --dns --dns-server --no-dns --at --full-url --timeout --format --verbose --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --pac)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -p)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -u)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --url-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --urls)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -h)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --my-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -c)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --at)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv raw" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__help)
            opts="eval lint help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__help__subcmd__eval)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__help__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__pac__subcmd__lint)
            opts="-h -V --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__proxy)
            opts="-h -V --help --version explain help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__proxy__subcmd__explain)
            opts="-v -h -V --urls --os --profile --proxy --pac --wpad --direct --only-given --no-env --mdatp-config --wdav-plist --telemetry-reg --netsh-file --advproxy-file --scutil-file --gsettings-file --etc-environment --apt-conf --dhcp-lease --dhcp-inform --resolv-conf --dns --dns-server --dns-concurrency --wpad-port --at --my-ip --format --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --urls)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "system agent" -- "${cur}"))
                    return 0
                    ;;
                --proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pac)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mdatp-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wdav-plist)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --telemetry-reg)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --netsh-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --advproxy-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scutil-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gsettings-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --etc-environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --apt-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-lease)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-inform)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolv-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wpad-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --at)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --my-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__proxy__subcmd__help)
            opts="explain help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__proxy__subcmd__help__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__proxy__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report)
            opts="-h -V --help --version diff render schema help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__diff)
            opts="-h -V --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "table json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__help)
            opts="diff render schema help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__help__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__help__subcmd__render)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__help__subcmd__schema)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__render)
            opts="-v -h -V --format --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "table json csv junit markdown html lines prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__report__subcmd__schema)
            opts="-h -V --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__serve)
            opts="-h -V --config --site --no-config --sheet --column --catalog-proxy --geo --onboarding --os --category --required-only --connectivity --profile --proxy --pac --wpad --direct --only-given --no-env --mdatp-config --wdav-plist --telemetry-reg --netsh-file --advproxy-file --scutil-file --gsettings-file --etc-environment --apt-conf --dhcp-lease --dhcp-inform --resolv-conf --dns --dns-server --dns-concurrency --wpad-port --at --my-ip --all-routes --no-control --resolve --ca-cert --proxy-user --concurrency --per-proxy --deadline --phase-timeout --insecure-read --listen --interval --max-runs --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --site)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --column)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "system agent" -- "${cur}"))
                    return 0
                    ;;
                --proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pac)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mdatp-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wdav-plist)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --telemetry-reg)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --netsh-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --advproxy-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scutil-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gsettings-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --etc-environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --apt-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-lease)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dhcp-inform)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolv-conf)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dns-concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wpad-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --at)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --my-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resolve)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proxy-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --per-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --deadline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --phase-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-runs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls)
            opts="-h -V --help --version list diff export help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__diff)
            opts="-h -V --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__export)
            opts="-o -h -V --sheet --column --catalog-proxy --geo --onboarding --os --category --required-only --connectivity --as --output --bare --ssl-bump --pac-snippet --via --base --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --column)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --as)
                    COMPREPLY=($(compgen -W "domains squid pac csv json text" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --via)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__help)
            opts="list diff export help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__help__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__help__subcmd__export)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pathprobe__subcmd__urls__subcmd__list)
            opts="-v -h -V --sheet --column --catalog-proxy --geo --onboarding --os --category --required-only --connectivity --format --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --sheet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --column)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-proxy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --geo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --onboarding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --os)
                    COMPREPLY=($(compgen -W "windows macos linux" -- "${cur}"))
                    return 0
                    ;;
                --category)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connectivity)
                    COMPREPLY=($(compgen -W "standard streamlined" -- "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table json csv" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _pathprobe -o nosort -o bashdefault -o default pathprobe
else
    complete -F _pathprobe -o bashdefault -o default pathprobe
fi

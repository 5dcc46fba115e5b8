//! The standard PAC helpers as native functions of the script's context,
//! and the per-evaluation state they share with the engine (the DNS cache,
//! the lookups recorded, `alert` messages, the deadline).

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use boa_engine::{Context, JsResult, JsString, JsValue};

use super::{DnsLookup, MAX_RECORDED_LOOKUPS};
use crate::helpers::{self, ShExpMatcher};
use crate::resolver::{LookupError, Resolve};

/// Per-evaluation state the native helpers read and write.
#[derive(Debug, Default)]
pub(super) struct EvalState {
    pub(super) cache: HashMap<String, Result<Vec<IpAddr>, LookupError>>,
    pub(super) lookups: Vec<DnsLookup>,
    pub(super) more_lookups: usize,
    pub(super) alerts: Vec<String>,
    /// Alerts past [`MAX_ALERTS`], counted, not kept.
    pub(super) more_alerts: usize,
    pub(super) deadline: Option<Instant>,
}

/// What the helpers need from the host; lives in the boa context.
#[derive(Debug)]
pub(super) struct Host {
    pub(super) resolver: Arc<dyn Resolve>,
    pub(super) dns_timeout: Duration,
    pub(super) my_ip: Vec<IpAddr>,
    pub(super) state: RefCell<EvalState>,
    pub(super) shexp: RefCell<ShExpMatcher>,
}

/// The native helpers: name, arity, function.
pub(super) const NATIVE_HELPERS: &[(
    &str,
    usize,
    boa_engine::native_function::NativeFunctionPointer,
)] = &[
    ("isPlainHostName", 1, is_plain_host_name),
    ("dnsDomainIs", 2, dns_domain_is),
    ("localHostOrDomainIs", 2, local_host_or_domain_is),
    ("dnsDomainLevels", 1, dns_domain_levels),
    ("shExpMatch", 2, sh_exp_match),
    ("convert_addr", 1, convert_addr),
    ("isInNet", 3, is_in_net),
    ("dnsResolve", 1, dns_resolve),
    ("isResolvable", 1, is_resolvable),
    ("myIpAddress", 0, my_ip_address),
    ("alert", 1, alert),
    ("isInNetEx", 2, is_in_net_ex),
    ("dnsResolveEx", 1, dns_resolve_ex),
    ("isResolvableEx", 1, is_resolvable_ex),
    ("myIpAddressEx", 0, my_ip_address_ex),
    ("sortIpAddressList", 1, sort_ip_address_list),
    ("getClientVersion", 0, get_client_version),
];

pub(super) fn host_of(context: &Context) -> JsResult<&Host> {
    context.get_data::<Host>().ok_or_else(|| {
        boa_engine::JsNativeError::error()
            .with_message("pathprobe host state missing")
            .into()
    })
}

pub(super) fn set_deadline(context: &Context, deadline: Option<Instant>) {
    if let Some(host) = context.get_data::<Host>() {
        host.state.borrow_mut().deadline = deadline;
    }
}

pub(super) fn reset_state(context: &Context, deadline: Option<Instant>) {
    if let Some(host) = context.get_data::<Host>() {
        *host.state.borrow_mut() = EvalState {
            deadline,
            ..EvalState::default()
        };
    }
}

/// What an evaluation left: its alerts (and how many more were not kept),
/// its lookups (and how many more were not recorded).
pub(super) struct Taken {
    pub(super) alerts: Vec<String>,
    pub(super) more_alerts: usize,
    pub(super) lookups: Vec<DnsLookup>,
    pub(super) more_lookups: usize,
}

pub(super) fn take_state(context: &Context) -> Taken {
    match context.get_data::<Host>() {
        Some(host) => {
            let mut state = host.state.borrow_mut();
            Taken {
                alerts: std::mem::take(&mut state.alerts),
                more_alerts: std::mem::take(&mut state.more_alerts),
                lookups: std::mem::take(&mut state.lookups),
                more_lookups: std::mem::take(&mut state.more_lookups),
            }
        }
        None => Taken {
            alerts: Vec::new(),
            more_alerts: 0,
            lookups: Vec::new(),
            more_lookups: 0,
        },
    }
}

/// Alerts one evaluation keeps; the rest are counted (round 21: dropped
/// without a word past 1,000).
pub const MAX_ALERTS: usize = 1000;

pub(super) fn arg_string(
    args: &[JsValue],
    index: usize,
    context: &mut Context,
) -> JsResult<String> {
    let value = args.get(index).cloned().unwrap_or_default();
    Ok(value.to_string(context)?.to_std_string_escaped())
}

pub(super) fn js_str(text: &str) -> JsValue {
    JsValue::from(JsString::from(text))
}

/// Resolves through the host's resolver, once per name per evaluation, within
/// both the lookup timeout and what is left of the evaluation's deadline.
pub(super) fn resolve(
    context: &Context,
    host_name: &str,
) -> JsResult<Result<Vec<IpAddr>, LookupError>> {
    let host = host_of(context)?;
    if let Some(ip) = helpers::address_literal(host_name) {
        return Ok(Ok(vec![ip]));
    }
    let key = host_name.to_ascii_lowercase();
    let deadline = {
        let state = host.state.borrow();
        if let Some(hit) = state.cache.get(&key) {
            return Ok(hit.clone());
        }
        state.deadline
    };
    let mut timeout = host.dns_timeout;
    if let Some(deadline) = deadline {
        timeout = timeout.min(deadline.saturating_duration_since(Instant::now()));
    }
    let started = Instant::now();
    let outcome = if timeout.is_zero() {
        Err(LookupError::Timeout(timeout))
    } else {
        host.resolver.lookup(&key, timeout)
    };
    let mut state = host.state.borrow_mut();
    if state.lookups.len() < MAX_RECORDED_LOOKUPS {
        state.lookups.push(DnsLookup {
            host: key.clone(),
            outcome: outcome.clone().map_err(|e| e.to_string()),
            elapsed: started.elapsed(),
        });
    } else {
        state.more_lookups += 1;
    }
    state.cache.insert(key, outcome.clone());
    Ok(outcome)
}

pub(super) fn is_plain_host_name(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    Ok(helpers::is_plain_host_name(&arg_string(args, 0, context)?).into())
}

pub(super) fn dns_domain_is(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let domain = arg_string(args, 1, context)?;
    Ok(helpers::dns_domain_is(&host, &domain).into())
}

pub(super) fn local_host_or_domain_is(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let hostdom = arg_string(args, 1, context)?;
    Ok(helpers::local_host_or_domain_is(&host, &hostdom).into())
}

pub(super) fn dns_domain_levels(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let levels = helpers::dns_domain_levels(&arg_string(args, 0, context)?);
    Ok(JsValue::from(u32::try_from(levels).unwrap_or(u32::MAX)))
}

pub(super) fn sh_exp_match(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let text = arg_string(args, 0, context)?;
    let pattern = arg_string(args, 1, context)?;
    let host = host_of(context)?;
    let matched = host.shexp.borrow_mut().matches(&text, &pattern);
    matched
        .map(JsValue::from)
        .map_err(|e| boa_engine::JsNativeError::syntax().with_message(e.0).into())
}

/// `convert_addr` with JavaScript's own conversions: each dotted part goes
/// through ToNumber and ToInt32, so `"0x10"` is 16 and junk is 0.
pub(super) fn dotted_to_int32(text: &str, context: &mut Context) -> JsResult<i32> {
    let mut parts = text.split('.');
    let mut out: i32 = 0;
    for shift in [24u32, 16, 8, 0] {
        let byte = match parts.next() {
            Some(part) => js_str(part).to_i32(context)? & 0xff,
            None => 0,
        };
        out |= byte.wrapping_shl(shift);
    }
    Ok(out)
}

pub(super) fn convert_addr(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let text = arg_string(args, 0, context)?;
    Ok(JsValue::from(dotted_to_int32(&text, context)?))
}

pub(super) fn is_in_net(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let pattern = arg_string(args, 1, context)?;
    let mask = arg_string(args, 2, context)?;
    let address = match helpers::dotted_quad(&host) {
        Some(Some(_)) => host,
        Some(None) => return Ok(false.into()),
        None => match resolve(context, &host)? {
            Ok(addrs) => match helpers::first_ipv4(&addrs) {
                Some(ip) => ip.to_string(),
                None => return Ok(false.into()),
            },
            Err(_) => return Ok(false.into()),
        },
    };
    // A network or mask that is not dotted numbers (a CIDR, a missing mask
    // read as "undefined") matches nothing, as in Chromium: read as zero,
    // the mask made every address match.
    // (Short forms such as "255.0" read as pacparser reads them.)
    let dotted = |t: &str| {
        let parts: Vec<&str> = t.split('.').collect();
        (1..=4).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if !dotted(&pattern) || !dotted(&mask) {
        return Ok(false.into());
    }
    let address = dotted_to_int32(&address, context)?;
    let pattern = dotted_to_int32(&pattern, context)?;
    let mask = dotted_to_int32(&mask, context)?;
    Ok((address & mask == pattern & mask).into())
}

pub(super) fn dns_resolve(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(match resolve(context, &name)? {
        Ok(addrs) => match helpers::first_ipv4(&addrs) {
            Some(ip) => js_str(&ip.to_string()),
            None => JsValue::null(),
        },
        Err(_) => JsValue::null(),
    })
}

pub(super) fn is_resolvable(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    let ok = resolve(context, &name)?
        .ok()
        .is_some_and(|addrs| helpers::first_ipv4(&addrs).is_some());
    Ok(ok.into())
}

pub(super) fn my_ip_address(
    _: &JsValue,
    _: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let ip = helpers::first_ipv4(&host.my_ip)
        .or_else(|| host.my_ip.first().copied())
        .map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string());
    Ok(js_str(&ip))
}

pub(super) fn alert(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let message = arg_string(args, 0, context)?;
    let host = host_of(context)?;
    let mut state = host.state.borrow_mut();
    // A script alerting in a loop must not grow memory without bound.
    if state.alerts.len() < MAX_ALERTS {
        state.alerts.push(message.chars().take(2000).collect());
    } else {
        state.more_alerts += 1;
    }
    Ok(JsValue::undefined())
}

pub(super) fn is_in_net_ex(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let address = arg_string(args, 0, context)?;
    let prefix = arg_string(args, 1, context)?;
    Ok(helpers::is_in_net_ex(&address, &prefix).into())
}

pub(super) fn dns_resolve_ex(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(match resolve(context, &name)? {
        Ok(addrs) => js_str(&helpers::join_addresses(&addrs)),
        Err(_) => js_str(""),
    })
}

pub(super) fn is_resolvable_ex(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(resolve(context, &name)?.is_ok_and(|a| !a.is_empty()).into())
}

pub(super) fn my_ip_address_ex(
    _: &JsValue,
    _: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let host = host_of(context)?;
    Ok(js_str(&helpers::join_addresses(&host.my_ip)))
}

pub(super) fn sort_ip_address_list(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let list = arg_string(args, 0, context)?;
    Ok(match helpers::sort_ip_address_list(&list) {
        Some(sorted) => js_str(&sorted),
        None => false.into(),
    })
}

pub(super) fn get_client_version(_: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(js_str("1.0"))
}

//! The live Windows registry: the agent's proxy policy, WinHTTP's default
//! proxy and the user's Internet Options, read with the readers of their
//! saved forms (`settings::windows`), so both are tested on every OS.

use windows_registry::{CURRENT_USER, Key, LOCAL_MACHINE, Type};

use super::settings::{ConnectionBlob, from_connection_blob, from_telemetry_value};
use super::{Discovery, Provenance, SourceKind, SourceProblem};

/// The agent's policy key (what Group Policy and Intune write).
const POLICY: &str = r"SOFTWARE\Policies\Microsoft\Windows\DataCollection";
/// WinHTTP's and WinINet's connection blobs.
const CONNECTIONS: &str =
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";
/// Where a policy makes Internet Options one for the whole machine.
const PER_USER_POLICY: &str =
    r"SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings";

/// `ERROR_FILE_NOT_FOUND` as an HRESULT: the key or value is not there.
const NOT_FOUND: i32 = 0x8007_0002_u32 as i32;

fn absent(e: &windows_registry::Result<impl Sized>) -> bool {
    matches!(e, Err(e) if e.code().0 == NOT_FOUND)
}

fn type_name(ty: Type) -> String {
    match ty {
        Type::U32 => "REG_DWORD".into(),
        Type::U64 => "REG_QWORD".into(),
        Type::String => "REG_SZ".into(),
        Type::ExpandString => "REG_EXPAND_SZ".into(),
        Type::MultiString => "REG_MULTI_SZ".into(),
        Type::Bytes => "REG_BINARY".into(),
        Type::Other(n) => format!("registry type {n}"),
    }
}

/// Opens `path` under `root` (named `root_name`): `Ok(None)` when absent.
fn open(
    d: &mut Discovery,
    kind: SourceKind,
    root: &Key,
    root_name: &str,
    path: &str,
) -> Option<Key> {
    let place = format!(r"{root_name}\{path}");
    let key = root.open(path);
    if absent(&key) {
        d.empty.push(format!("{place} (absent)"));
        return None;
    }
    match key {
        Ok(key) => Some(key),
        Err(e) => {
            d.problems.push(SourceProblem::new(
                Provenance::new(kind, &place, None),
                format!("cannot read: {}", e.message()),
            ));
            None
        }
    }
}

/// Reads the registry sources into `d`: the policy and WinHTTP unless a
/// saved form of them was given instead.
pub(super) fn read(d: &mut Discovery, policy: bool, winhttp: bool) {
    if policy {
        telemetry_policy(d);
    }
    if winhttp {
        connection(
            d,
            ConnectionBlob::WinHttp,
            LOCAL_MACHINE,
            "HKLM",
            "WinHttpSettings",
        );
    }
    // Internet Options are the user's, unless a policy makes them the
    // machine's (ProxySettingsPerUser = 0).
    let per_machine = LOCAL_MACHINE
        .open(PER_USER_POLICY)
        .and_then(|k| k.get_u32("ProxySettingsPerUser"))
        .is_ok_and(|v| v == 0);
    let (root, name) = if per_machine {
        (LOCAL_MACHINE, "HKLM")
    } else {
        (CURRENT_USER, "HKCU")
    };
    connection(
        d,
        ConnectionBlob::WinInet,
        root,
        name,
        "DefaultConnectionSettings",
    );
}

fn telemetry_policy(d: &mut Discovery) {
    let kind = SourceKind::WindowsTelemetryPolicy;
    let place = format!(r"HKLM\{POLICY}");
    let Some(key) = open(d, kind, LOCAL_MACHINE, "HKLM", POLICY) else {
        return;
    };
    let name = "TelemetryProxyServer";
    let ty = key.get_type(name);
    let value = if absent(&ty) {
        None
    } else {
        Some(match ty {
            Ok(Type::String | Type::ExpandString) => key
                .get_string(name)
                .map_err(|e| format!("cannot read: {}", e.message())),
            Ok(other) => Err(format!(
                "{name} must be a string (REG_SZ), found {}",
                type_name(other)
            )),
            Err(e) => Err(format!("cannot read: {}", e.message())),
        })
    };
    d.take(
        from_telemetry_value(&place, value),
        &format!(r"{place}\{name}"),
    );
}

fn connection(d: &mut Discovery, blob: ConnectionBlob, root: &Key, root_name: &str, name: &str) {
    let kind = blob.kind();
    let place = format!(r"{root_name}\{CONNECTIONS}");
    let Some(key) = open(d, kind, root, root_name, CONNECTIONS) else {
        return;
    };
    let value = key.get_value(name);
    if absent(&value) {
        d.empty.push(format!(r"{place}\{name} (absent)"));
        return;
    }
    let result = match value {
        Ok(v) if v.ty() == Type::Bytes => from_connection_blob(blob, &place, name, &v),
        Ok(v) => Err(SourceProblem::new(
            Provenance::new(kind, &place, Some(name)),
            format!(
                "{name} must be binary (REG_BINARY), found {}",
                type_name(v.ty())
            ),
        )),
        Err(e) => Err(SourceProblem::new(
            Provenance::new(kind, &place, Some(name)),
            format!("cannot read: {}", e.message()),
        )),
    };
    d.take(result, &format!(r"{place}\{name}"));
}

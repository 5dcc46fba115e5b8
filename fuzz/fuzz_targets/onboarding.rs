//! Onboarding and offboarding packages in every form; the first byte picks
//! the file name (which decides the form).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = match which % 5 {
        0 => "WindowsDefenderATP.onboarding",
        1 => "WindowsDefenderATPLocalOnboardingScript.cmd",
        2 => "mdatp_onboard.json",
        3 => "com.microsoft.wdav.atp.plist",
        _ => "WindowsDefenderATP_valid_until_2026-12-01.offboarding",
    };
    let _ = pathprobe_urls::read_package("fuzz", name, bytes);
});

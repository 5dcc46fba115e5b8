//! Fixture workbooks written with rust_xlsxwriter. Each reproduces, with our own
//! rows, the traits of one generation of the vendor's spreadsheet.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// A cell value for [`rows`].
#[derive(Clone, Copy)]
pub enum V<'a> {
    /// Text.
    S(&'a str),
    /// A number (ports are numbers in the vendor files).
    N(f64),
    /// Empty.
    E,
}

/// Writes `data` starting at `first_row` (0-based).
pub fn rows(ws: &mut Worksheet, first_row: u32, data: &[&[V<'_>]]) -> Result<(), XlsxError> {
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (first_row + r as u32, c as u16);
            match v {
                V::S(s) => {
                    ws.write_string(r, c, *s)?;
                }
                V::N(n) => {
                    ws.write_number(r, c, *n)?;
                }
                V::E => {}
            }
        }
    }
    Ok(())
}

use V::{E, N, S};

const HEADER_2021: &[V<'static>] = &[
    S("Service"),
    S("Geography"),
    S("Category"),
    S("Port"),
    S("Endpoint/URL"),
    S("Endpoint/URL Description "),
    S("Windows 10 / Server 2019"),
    S("Windows 7 / 8.1"),
    S("Windows Server 2008 R2 / 2012 R2 / 2016"),
    S("Mac"),
    S("Linux"),
    S("Comments"),
];

/// The 2021 generation: one header row per sheet, a geography column, per-OS
/// flag columns (Yes / Yes* / blank), port 80 rows, path and suffix wildcards, a
/// prose row, a US-government sheet, a portal sheet with full URLs, and sheets
/// that list no URLs at all.
pub fn vendor_2021(dir: &Path) -> Result<PathBuf, XlsxError> {
    let path = dir.join("vendor-2021.xlsx");
    let mut wb = Workbook::new();
    let svc = S("Example Defender");
    {
        let ws = wb.add_worksheet().set_name("Microsoft Defender URLs")?;
        rows(ws, 0, &[HEADER_2021])?;
        rows(
            ws,
            1,
            &[
                &[
                    svc,
                    S("WW"),
                    S("Common"),
                    N(80.0),
                    S("crl.microsoft.com/pki/crl/*"),
                    S("revocation"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("Common"),
                    N(443.0),
                    S("*.notify.windows.com"),
                    S("push"),
                    S("Yes"),
                    E,
                    E,
                    E,
                    E,
                    S("Direct connection required"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("Common"),
                    N(443.0),
                    S("*ecs.office.com/config/v1/Client"),
                    S("config"),
                    S("Yes"),
                    S("No"),
                    S("Yes"),
                    S("No"),
                    S("No"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("MU / WU"),
                    N(443.0),
                    S("go.microsoft.com"),
                    S("updates"),
                    S("Yes*"),
                    S("Yes*"),
                    S("Yes*"),
                    S("Yes"),
                    S("Yes"),
                    S("*Optional if managed internally"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("Mac"),
                    N(443.0),
                    S(
                        "Root URL for public CDN endpoints (referred to as ChannelURL) - see the docs",
                    ),
                    S("cdn"),
                    E,
                    E,
                    E,
                    S("Yes"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("MAPS"),
                    N(443.0),
                    S("*.wd.microsoft.com"),
                    S("maps"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("US"),
                    S("Microsoft Defender for Endpoint US"),
                    N(443.0),
                    S("winatp-gw-cus.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("EU"),
                    S("Microsoft Defender for Endpoint EU"),
                    N(443.0),
                    S("winatp-gw-neu.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("EU"),
                    S("Microsoft Defender for Endpoint EU"),
                    N(443.0),
                    S("eu-v20.events.data.microsoft.com"),
                    S("cyber"),
                    S("Yes"),
                    E,
                    E,
                    S("Yes"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("UK"),
                    S("Microsoft Defender for Endpoint UK"),
                    N(443.0),
                    S("winatp-gw-uks.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                    S("Yes"),
                ],
            ],
        )?;
    }
    {
        let ws = wb
            .add_worksheet()
            .set_name("Microsoft Defender URLs - USGov")?;
        rows(ws, 0, &[HEADER_2021])?;
        rows(
            ws,
            1,
            &[
                &[
                    svc,
                    S("US Gov"),
                    S("Common"),
                    N(443.0),
                    S("events.data.microsoft.com"),
                    S("telemetry"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("GCC"),
                    S("Microsoft Defender for Endpoint GCC"),
                    N(443.0),
                    S("winatp-gw-usmt.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("GCC High"),
                    S("Microsoft Defender for Endpoint GCC High"),
                    N(443.0),
                    S("winatp-gw-usgv.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                ],
                &[
                    svc,
                    S("DoD"),
                    S("Microsoft Defender for Endpoint DoD"),
                    N(443.0),
                    S("winatp-gw-usgt.microsoft.com"),
                    S("cnc"),
                    S("Yes"),
                ],
            ],
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Security Center URLs")?;
        rows(
            ws,
            0,
            &[
                &[S("Service"), S("Geography"), S("URL"), S("Comment")],
                &[
                    svc,
                    S("WW"),
                    S("*.blob.core.windows.net "),
                    S("portal downloads"),
                ],
                &[
                    svc,
                    S("WW"),
                    S("https://security.microsoft.com"),
                    S("portal"),
                ],
            ],
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Processes")?;
        rows(
            ws,
            0,
            &[
                &[S("Process"), S("Path"), S("Comment")],
                &[S("MsSense.exe"), S("C:\\Program Files"), S("sensor")],
            ],
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Change Log")?;
        rows(
            ws,
            0,
            &[
                &[S("Date"), S("Change Log")],
                &[S("2021-02-18"), S("Added US Gov URLs")],
            ],
        )?;
    }
    wb.save(&path)?;
    Ok(path)
}

/// The 2024 (streamlined) generation: a notes sheet, section banners merged
/// across the row, repeated header rows with renamed columns ("Endpoint/URLs",
/// "Type", "OS"), several URLs per cell, vertically merged cells, a sheet whose
/// header is on row 2 with the geography inside the category, and a Windows
/// sheet with only a Mac flag column.
pub fn vendor_2024(dir: &Path) -> Result<PathBuf, XlsxError> {
    let path = dir.join("vendor-2024.xlsx");
    let mut wb = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let header: &[V<'_>] = &[
        S("Service"),
        S("Port"),
        S("Endpoint/URLs"),
        S("Endpoint/URL Description "),
        S("Type"),
        S("Comments"),
        S("OS"),
    ];
    {
        let ws = wb.add_worksheet().set_name("Overview and prerequisites")?;
        rows(ws, 0, &[&[S("Read the prerequisites before onboarding.")]])?;
    }
    {
        let ws = wb.add_worksheet().set_name("Common endpoints")?;
        ws.merge_range(
            0,
            0,
            0,
            6,
            "NOTE: devices must meet the component version requirements.",
            &wrap,
        )?;
        rows(
            ws,
            1,
            &[&[S(
                "URLs used for core functionality\nNOTE: some are optional offline",
            )]],
        )?;
        rows(ws, 2, &[header])?;
        rows(
            ws,
            3,
            &[
                &[
                    S("Core services"),
                    N(443.0),
                    S("*.endpoint.security.microsoft.com"),
                    S("core"),
                    S("Required"),
                    S("prerequisites apply"),
                    S("All"),
                ],
                &[
                    S("Web protection"),
                    N(443.0),
                    S("*.smartscreen-prod.microsoft.com\n*.smartscreen.microsoft.com"),
                    S("web"),
                    S("Required"),
                    E,
                    S("All"),
                ],
            ],
        )?;
        // Rows 6-8 (1-based) are one merged block: one service, three URLs in one cell.
        for (col, text) in [
            (0u16, "SmartScreen"),
            (
                2,
                "*.checkappexec.microsoft.com\n*.urs.microsoft.com\ninvalid host name here",
            ),
            (3, "app reputation"),
            (4, "Optional"),
            (6, "Windows"),
        ] {
            ws.merge_range(5, col, 7, col, text, &wrap)?;
        }
        ws.merge_range(5, 1, 7, 1, "", &wrap)?;
        ws.write_number(5, 1, 443.0)?;
        ws.merge_range(
            9,
            0,
            9,
            6,
            "URLs used for updates\nNOTE: updates may come from a file share",
            &wrap,
        )?;
        rows(ws, 10, &[header])?;
        rows(
            ws,
            11,
            &[&[
                S("Linux updates"),
                N(443.0),
                S("packages.microsoft.com"),
                S("repo"),
                S("Required"),
                E,
                S("Linux"),
            ]],
        )?;
        // A service cell merged over three rows, each row with its own URL.
        ws.merge_range(12, 0, 14, 0, "Certificate validation", &wrap)?;
        ws.merge_range(12, 1, 14, 1, "", &wrap)?;
        ws.write_number(12, 1, 80.0)?;
        ws.merge_range(12, 6, 14, 6, "Windows", &wrap)?;
        rows(
            ws,
            12,
            &[
                &[
                    E,
                    E,
                    S("www.microsoft.com/pkiops/*\nwww.microsoft.com/pki/*"),
                    S("crl"),
                    S("Required"),
                ],
                &[E, E, S("ctldl.windowsupdate.com"), S("ctl"), S("Required")],
                &[E, E, S("crl.microsoft.com"), S("crl"), S("Required")],
            ],
        )?;
        rows(
            ws,
            16,
            &[&[
                S("Vulnerability scanner"),
                N(443.0),
                E,
                S("no URL given in this row"),
                S("Optional"),
            ]],
        )?;
    }
    {
        let ws = wb
            .add_worksheet()
            .set_name("Windows 7, 8.1, 2008R2 (MMA) ")?;
        ws.merge_range(
            0,
            0,
            0,
            4,
            "MMA URLs: additional endpoints for the legacy agent.\n",
            &wrap,
        )?;
        rows(
            ws,
            1,
            &[&[
                S("Category\n"),
                S("Port"),
                S("Endpoint/URL"),
                S("Endpoint/URL Description "),
                S("Comments"),
            ]],
        )?;
        ws.merge_range(2, 0, 3, 0, "Microsoft Defender for Endpoint AU", &wrap)?;
        ws.merge_range(2, 1, 3, 1, "", &wrap)?;
        ws.write_number(2, 1, 443.0)?;
        ws.merge_range(2, 3, 5, 3, "Command and control", &wrap)?;
        ws.merge_range(4, 0, 5, 0, "Microsoft Defender for Endpoint EU", &wrap)?;
        ws.merge_range(4, 1, 5, 1, "", &wrap)?;
        ws.write_number(4, 1, 443.0)?;
        ws.write_string(2, 2, "winatp-gw-aue.microsoft.com")?;
        ws.write_string(3, 2, "winatp-gw-aus.microsoft.com")?;
        ws.write_string(4, 2, "winatp-gw-neu.microsoft.com")?;
        ws.write_string(5, 2, "winatp-gw-weu.microsoft.com")?;
        rows(
            ws,
            6,
            &[&[
                S("Microsoft Monitoring Agent (MMA) / EDR Cyberdata"),
                N(443.0),
                S(
                    "*.oms.opinsights.azure.com\n*.oms.opinsights.azure.com\n*.blob.core.windows.net",
                ),
                S("agent upload"),
            ]],
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Windows 1607 to 1803")?;
        rows(
            ws,
            1,
            &[
                &[
                    S("Service"),
                    S("Geography"),
                    S("Category"),
                    S("Port"),
                    S("Endpoint/URL"),
                    S("Endpoint/URL Description "),
                    S("Required / Optional"),
                    S("Mac"),
                    S("Comments"),
                ],
                &[
                    svc_name(),
                    S("All"),
                    S("Common"),
                    N(443.0),
                    S("settings-win.data.microsoft.com"),
                    S("settings"),
                    S("Optional"),
                    E,
                    S("old builds"),
                ],
                &[
                    svc_name(),
                    S("EU"),
                    S("Microsoft Defender for Endpoint EU"),
                    N(443.0),
                    S("usseu1northprod.blob.core.windows.net"),
                    S("samples"),
                    S("Required"),
                    S("Yes"),
                ],
                &[
                    svc_name(),
                    S("US"),
                    S("Microsoft Defender for Endpoint US"),
                    N(443.0),
                    S("ussus1eastprod.blob.core.windows.net"),
                    S("samples"),
                    S("Required"),
                    S("Yes"),
                ],
            ],
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Change Log")?;
        rows(
            ws,
            0,
            &[
                &[S("Date"), S("Change Log")],
                &[S("2024-05-06"), S("Final adjustments")],
            ],
        )?;
    }
    wb.save(&path)?;
    Ok(path)
}

fn svc_name() -> V<'static> {
    S("Example Defender")
}

/// A workbook whose sheets list no URLs.
pub fn no_url_sheets(dir: &Path) -> Result<PathBuf, XlsxError> {
    let path = dir.join("no-urls.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Processes")?;
    rows(
        ws,
        0,
        &[&[S("Process"), S("Path")], &[S("a.exe"), S("C:\\")]],
    )?;
    wb.save(&path)?;
    Ok(path)
}

/// Bytes shaped like an Office-encrypted workbook: an OLE compound file whose
/// directory names the `EncryptionInfo` and `EncryptedPackage` streams.
pub fn encrypted_workbook_bytes() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        bytes.extend(entry);
    }
    bytes.resize(4096, 0);
    bytes
}

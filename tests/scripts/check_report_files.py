"""Validates pathprobe report files with independent readers.

usage: check_report_files.py SCHEMA.json REPORT.json JUNIT.xml

The JSON report is validated against the committed JSON Schema (draft
2020-12) with the `jsonschema` package; the JUnit file is parsed with Python's
XML parser. Prints one JSON object with what was read, so the Rust test can
compare counts.
"""

import json
import sys
import xml.etree.ElementTree as ET

import jsonschema


def main() -> None:
    schema_path, report_path, junit_path = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(report),
        key=lambda e: list(e.path),
    )
    root = ET.parse(junit_path).getroot()
    cases = root.findall(".//testcase")
    print(
        json.dumps(
            {
                "schema_errors": [f"{list(e.path)}: {e.message}" for e in errors],
                "junit_root": root.tag,
                "junit_tests": int(root.get("tests")),
                "junit_failures": int(root.get("failures")),
                "junit_cases": len(cases),
                "junit_failed_cases": sum(1 for c in cases if c.find("failure") is not None),
            }
        )
    )


if __name__ == "__main__":
    main()

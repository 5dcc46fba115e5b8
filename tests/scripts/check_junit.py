"""Validates JUnit XML files against the Jenkins rules (tests/schemas/junit-jenkins.xsd).

usage: check_junit.py SCHEMA.xsd FILE.xml...

Uses the `xmlschema` package (an XSD 1.0 validator independent of
pathprobe). Prints one JSON object: for each file, the list of validation
errors (empty when the file is valid).
"""

import json
import sys

import xmlschema


def main() -> None:
    schema = xmlschema.XMLSchema10(sys.argv[1])
    out = {}
    for path in sys.argv[2:]:
        out[path] = [str(e.reason or e.message) + " at " + str(e.path) for e in schema.iter_errors(path)]
    print(json.dumps(out))


if __name__ == "__main__":
    main()

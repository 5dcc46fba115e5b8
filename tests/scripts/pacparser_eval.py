#!/usr/bin/env python3
"""Evaluate PAC scripts with pacparser, the reference peer of the differential tests.

Reads JSON from stdin: {"scripts": [{"pac": TEXT, "my_ip": IP, "cases": [[URL, HOST], ...]}]}
Writes JSON to stdout: {"version": V, "results": [[{"raw": TEXT} | {"error": TEXT}, ...], ...]}
"""
import json
import sys

import pacparser


def main():
    request = json.load(sys.stdin)
    pacparser.enable_microsoft_extensions()
    results = []
    for script in request["scripts"]:
        answers = []
        pacparser.init()
        try:
            pacparser.parse_pac_string(script["pac"])
            pacparser.setmyip(script["my_ip"])
            for url, host in script["cases"]:
                try:
                    answers.append({"raw": pacparser.find_proxy(url, host)})
                except Exception as exc:  # pacparser raises its own error type
                    answers.append({"error": str(exc)})
        except Exception as exc:
            answers = [{"error": "load: %s" % exc} for _ in script["cases"]]
        finally:
            pacparser.cleanup()
        results.append(answers)
    json.dump({"version": pacparser.version(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()

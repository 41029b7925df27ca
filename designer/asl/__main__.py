"""`python -m designer.asl validate [--json] [--type STANDARD|EXPRESS] FILE...`

Prints each file's diagnostics (`--json`: a list of {file, valid, diagnostics: [...]}). Files ending in
.yaml/.yml are read as YAML, others as JSON. Exit status: 0 when every file is valid, 1 when any is
invalid, 2 on a usage error or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from designer.asl.document import Format
from designer.asl.validate import validate

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep that, say why
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m designer.asl", description="Amazon States Language tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate state machine definitions")
    check.add_argument("--json", action="store_true", help="print a JSON report")
    check.add_argument("--type", choices=("STANDARD", "EXPRESS"), default="STANDARD")
    check.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    results = []
    unreadable = False
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            unreadable = True
            continue
        fmt: Format = "yaml" if name.lower().endswith((".yaml", ".yml")) else "json"
        diagnostics = validate(data, type=args.type, format=fmt)
        results.append((name, diagnostics))

    report = [
        {"file": name, "valid": not any(d.is_error for d in ds), "diagnostics": [d.to_dict() for d in ds]}
        for name, ds in results
    ]
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for name, diagnostics in results:
            if not diagnostics:
                print(f"{name}: valid")
            for d in diagnostics:
                where = f"{d.line}:{d.column}" if d.line is not None else "-"
                state = f" [{d.state}]" if d.state else ""
                print(f"{name}:{where}: {d.severity} {d.code}{state}: {d.message} (at {d.location})")
    if unreadable:
        return EXIT_USAGE
    return EXIT_VALID if all(entry["valid"] for entry in report) else EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())

"""`python -m designer.asl validate [--json] FILE...`: output and exit status 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / ".." / "shared" / "asl-corpus"
VALID = CORPUS / "valid" / "handmade__valid_fail_dynamic_error_cause.asl.json"
INVALID = CORPUS / "invalid" / "handmade__invalid_next_unknown_state.asl.json"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "designer.asl", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_valid_file_exits_0() -> None:
    result = run("validate", VALID)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{VALID}: valid"


def test_invalid_file_exits_1_with_located_diagnostics() -> None:
    result = run("validate", VALID, INVALID)
    assert result.returncode == 1
    assert f"{INVALID}:6:7: error MISSING_TRANSITION_TARGET [A]: Missing 'Next' target: Nope" in result.stdout


def test_json_report() -> None:
    result = run("validate", "--json", VALID, INVALID)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(r["file"], r["valid"]) for r in report] == [(str(VALID), True), (str(INVALID), False)]
    first = report[1]["diagnostics"][0]
    assert set(first) == {"code", "severity", "pointer", "state", "line", "column", "message"}


def test_yaml_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "machine.asl.yaml"
    path.write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n")
    result = run("validate", "--json", path)
    assert result.returncode == 1
    codes = {d["code"] for d in json.loads(result.stdout)[0]["diagnostics"]}
    assert "MISSING_TRANSITION_TARGET" in codes


def test_usage_errors_and_unreadable_files_exit_2(tmp_path: Path) -> None:
    assert run().returncode == 2
    assert run("validate").returncode == 2
    assert run("frobnicate", VALID).returncode == 2
    missing = run("validate", VALID, tmp_path / "nope.json")
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr

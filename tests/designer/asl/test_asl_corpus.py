"""The validator against the labelled corpus (../shared/asl-corpus): every valid/ file accepted (no
errors; warnings allowed), every invalid/ file rejected for the reason its manifest gives.

Misfits are allowed only through the two lists below, each entry with its reason:
`LABEL_DISAGREES_WITH_AWS` (the label is one validator project's opinion and AWS's documented or
recorded behaviour says otherwise; we follow AWS) and `PENDING_IN_EVALUATION_CORE` (AWS rejects the
file, but the check belongs to the expression compilers in designer/asl/intrinsics.py, which validation
calls through validate/expressions.py, and is not there yet). `test_corpus_accuracy` prints the score and
every misfit, listed or not.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from designer.asl import validate

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / ".." / "shared" / "asl-corpus"

LABEL_DISAGREES_WITH_AWS = {
    "valid/asl-validator__valid-task-credentials.asl.json": (
        "Credentials without RoleArn: AWS rejects it ('The field 'RoleArn' is required but was missing', "
        "recorded in conformance/cases/validation/test_invalid_credentials_field-*)"
    ),
    "valid/awslabs-statelint__task-with-credentials.asl.json": (
        "Credentials with 'roleArn' (lower case) and no RoleArn: AWS requires RoleArn (same recorded cases)"
    ),
    "valid/asl-validator__valid-map-with-item-batcher-jsonata.asl.json": (
        "a state sets QueryLanguage JSONPath inside a definition whose top level says JSONata; AWS: "
        "''QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine' (recorded, "
        "test_validate_state_machine_definition_type_standard-INVALID_DOWNGRADE)"
    ),
    "invalid/asl-validator__invalid-jsonata-surround-syntax-no-spaces.asl.json": (
        "'{%10%}': AWS documents a JSONata expression as a string that starts with '{%' and ends with '%}'; "
        "no spaces are required (deployed samples use '{% expr%}')"
    ),
    "invalid/asl-validator__invalid-json-surround-syntax-extra-spaces.asl.json": (
        "'{% \\n10   %}': whitespace (newlines included) inside the braces is JSONata whitespace"
    ),
    "invalid/asl-ls__documentFailErrorPathAndCausePathIntrinsicInvalid.asl.json": (
        "ErrorPath/CausePath holding intrinsics that return non-strings: AWS documents ErrorPath/CausePath "
        "as a path or intrinsic; the result's type is known only at run time (the language service's rule)"
    ),
}
# All four former entries (illegal escapes, nesting past 10, MathAdd('-1')) are now rejected by
# compile_intrinsic; new entries go here when AWS rejects what the evaluation core still accepts.
PENDING_IN_EVALUATION_CORE: dict[str, str] = {}
EXCEPTIONS = {**LABEL_DISAGREES_WITH_AWS, **PENDING_IN_EVALUATION_CORE}

# The reason a file is invalid, as codes our diagnostics must include. AWS codes are taken from the
# reason's prefix; the language service's codes are mapped to AWS's.
REASON_CODE = re.compile(r"^([A-Z][A-Z_]+[A-Z]):")
ASL_LS_CODES = {
    "INVALID_NEXT": "MISSING_TRANSITION_TARGET",
    "INVALID_DEFAULT": "MISSING_TRANSITION_TARGET",
    "INVALID_START_AT": "MISSING_TRANSITION_TARGET",
    "UNREACHABLE_STATE": "MISSING_TRANSITION_TARGET",
    "NO_TERMINAL_STATE": "MISSING_END_STATE",
    "INVALID_PROPERTY_NAME": "SCHEMA_VALIDATION_FAILED",
    "INVALID_JSON_PATH_OR_INTRINSIC": "SCHEMA_VALIDATION_FAILED",
}
# Field names and quoted names in a reason that a matching diagnostic mentions (pointer or message).
FIELD_WORD = re.compile(
    r"\b([A-Z][a-z]+(?:[A-Z][a-z]*)+|Label|Next|End|Type|Resource|Parameters|Branches|Choices|Catch|Retry|"
    r"Variable|Condition|Items|Output|Assign|Default|Credentials|Error|Cause|Comment|Version|States|Iterator)\b"
)
QUOTED = re.compile(r"'([A-Za-z][A-Za-z0-9_]+(?:\.\$)?)'")
NOT_FIELDS = {"StepFunctions", "JSONata", "JSONPath", "LocalStack", "StartAt"}


@cache
def manifest() -> list[dict]:
    return json.loads((CORPUS / "manifest.json").read_text())


@cache
def verdict(file: str) -> tuple[bool, tuple]:
    diagnostics = validate((CORPUS / file).read_bytes())
    errors = tuple(d for d in diagnostics if d.is_error)
    return not errors, errors


def reason_problem(entry: dict, errors: tuple) -> str | None:
    """Why the errors found do not match the manifest's reason, or None."""
    reason = entry["expected_reason"]
    codes = {d.code for d in errors}
    text = " ".join(f"{d.code} {d.pointer} {d.message}" for d in errors)
    expected = REASON_CODE.match(reason)
    if expected:
        return None if expected.group(1) in codes else f"expected {expected.group(1)}, got {sorted(codes)}"
    if reason.startswith("amazon-states-language-service expects:"):
        wanted = {ASL_LS_CODES[c] for c in re.findall(r"\b[A-Z][A-Z_]+[A-Z]\b", reason) if c in ASL_LS_CODES}
        return None if wanted <= codes else f"expected {sorted(wanted)}, got {sorted(codes)}"
    words = (set(FIELD_WORD.findall(reason)) | set(QUOTED.findall(reason))) - NOT_FIELDS
    if words and not any(w in text for w in words):
        return f"no diagnostic mentions any of {sorted(words)}"
    return None


def misfit(entry: dict) -> str | None:
    accepted, errors = verdict(entry["file"])
    if entry["expected_valid"]:
        return None if accepted else "rejected: " + "; ".join(str(d) for d in errors[:3])
    if accepted:
        return "accepted"
    return reason_problem(entry, errors)


@pytest.mark.parametrize("entry", manifest(), ids=lambda e: e["file"])
def test_corpus_file(entry: dict) -> None:
    problem = misfit(entry)
    if entry["file"] in EXCEPTIONS:
        assert problem is not None, f"listed as an exception but now right: {entry['file']}"
        pytest.xfail(EXCEPTIONS[entry["file"]])
    assert problem is None, f"{entry['file']} ({entry['expected_reason']}): {problem}"


def test_corpus_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    entries = manifest()
    misfits = {e["file"]: misfit(e) for e in entries}
    misfits = {f: p for f, p in misfits.items() if p is not None}
    with capsys.disabled():
        print(
            f"\nASL corpus: {len(entries) - len(misfits)}/{len(entries)} right "
            f"({(len(entries) - len(misfits)) / len(entries):.3f})"
        )
        for file, problem in sorted(misfits.items()):
            print(f"  misfit {file}: {problem} [{'listed' if file in EXCEPTIONS else 'NOT LISTED'}]")
    assert set(misfits) == set(EXCEPTIONS)


def test_exceptions_name_corpus_files() -> None:
    files = {e["file"] for e in manifest()}
    assert set(EXCEPTIONS) <= files

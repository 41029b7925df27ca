"""The recorded-on-AWS conformance corpus driven through the Step Functions endpoint with
boto3, compared with the in-process engine in the same run: the endpoint must pass every case
the engine passes (and the ValidateStateMachineDefinition cases only the endpoint can run).

The Lambda cases name their functions literally in definitions and inputs; the harness
expects the server to provide them. They are registered through the REST API as local
functions by the author whose access key signs the harness's requests (functions belong to an
account), with the same handler source the engine runs in-process, so on the endpoint they run
in their own processes as any user's function would."""

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from executions.engine.conformance import handler_source
from tests.executions.conftest import REPO_ROOT, SHARED_DIR

HARNESS = SHARED_DIR / "conformance" / "run_conformance.py"
CASES = SHARED_DIR / "conformance" / "cases"
TEST_STATE_CASES = SHARED_DIR / "conformance" / "test_state"


def case_functions() -> dict[str, str]:
    """Function name -> handler source, for every function a case needs."""
    sources: dict[str, str] = {}
    for path in sorted(CASES.glob("lambda_*/*.json")):
        for need in json.loads(path.read_text()).get("needs") or []:
            source = handler_source(need)
            assert sources.setdefault(need["lambda"], source) == source, f"{need['lambda']} differs in {path}"
    return sources


def register_functions(server, sources: dict[str, str], username: str) -> None:
    """Register the functions as ``username`` (an author): they land in that user's account."""
    token = server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from rest_framework.authtoken.models import Token; "
        f"u = get_user_model().objects.get(username={username!r}); "
        "print(Token.objects.create(user=u).key)",
    ).split()[-1]
    for name, source in sources.items():
        # Lambda's handler setting for handler.py's handler(): traces name /var/task/handler.py
        body = {"name": name, "code": source, "handler": "handler.handler"}
        request = urllib.request.Request(
            f"{server.url}/api/functions/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201


def run_harness(*mode: str, cases: Path = CASES, key: tuple[str, str] | None = None) -> dict:
    env = dict(os.environ)
    if key is not None:
        env.update({"CONFORMANCE_ACCESS_KEY": key[0], "CONFORMANCE_SECRET_KEY": key[1]})
    done = subprocess.run(
        [sys.executable, str(HARNESS), *mode, "--cases", str(cases), "--allow-failures"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = re.search(r"outcome: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?", done.stdout)
    history = re.search(r"history: (\d+) passed \((\d+) strict, (\d+) relaxed\), (\d+) failed", done.stdout)
    message = re.search(r"validation message: (\d+) identical, (\d+) different", done.stdout)
    assert outcome and history, done.stdout[-3000:]
    return {
        "passed": int(outcome[1]),
        "failed": int(outcome[2]),
        "skipped": int(outcome[3] or 0),
        "history_passed": int(history[1]),
        "history_failed": int(history[4]),
        "message_identical": int(message[1]) if message else 0,
        "message_different": int(message[2]) if message else 0,
        "failures": [line for line in done.stdout.splitlines() if line.startswith("FAIL")],
    }


def test_sfn_api_conformance_matches_the_engine(live_sfn):
    sources = case_functions()
    assert len(sources) > 60
    # The harness signs with an author's own key, in whose account the functions are.
    key = live_sfn.create_access_key("conformance", "authors")
    register_functions(live_sfn, sources, "conformance")
    endpoint = run_harness("--endpoint", live_sfn.endpoint, "--jobs", "4", key=key)
    engine = run_harness("--engine", "executions.engine.conformance:run")
    # the same cases, none skipped (the engine skips the ValidateStateMachineDefinition ones)
    assert endpoint["skipped"] == 0
    assert endpoint["passed"] + endpoint["failed"] == engine["passed"] + engine["failed"] + engine["skipped"]
    assert endpoint["failed"] <= engine["failed"], endpoint["failures"]
    assert endpoint["history_passed"] >= engine["history_passed"], endpoint["failures"]
    assert endpoint["history_failed"] <= engine["history_failed"], endpoint["failures"]


def test_sfn_api_test_state_conformance(live_sfn):
    """The TestState calls recorded on AWS: every outcome right, and at least 98% of the whole
    answers (the normalised response with its inspection data, or the error with its message)."""
    run = run_harness("--endpoint", live_sfn.endpoint, "--jobs", "2", cases=TEST_STATE_CASES)
    whole = run["history_passed"] + run["message_identical"]
    total = (
        run["history_passed"] + run["history_failed"] + run["message_identical"] + run["message_different"]
    )
    print(
        f"TestState conformance: {run['passed']} outcomes passed, {run['failed']} failed; "
        f"{whole} of {total} whole answers identical"
    )
    assert run["passed"] > 100 and run["skipped"] == 0
    assert run["failed"] == 0, run["failures"]
    assert total == run["passed"] and whole >= 0.98 * total, run["failures"]

"""The soak (issue 12), printed as JSON: 5,000 executions (``SOAK_EXECUTIONS``) of the samples
mixed (Waits, Maps, Parallels, retries, callbacks answered by a client, approvals answered on
the approval page, a poison function now and then) over 2 web processes and 2 runner processes
on PostgreSQL + a private Redis, while one runner is SIGKILLed and restarted, Redis restarted and
the database's connections terminated. The lease and scan are the defaults a deployment runs
with (10 s, 1 s; ``SOAK_LEASE_SECONDS``, ``SOAK_SCAN_SECONDS``), so the takeover printed is the
one an operator would see. What it checks: tests/executions/soak_workload.py.

Run: .venv/bin/python tests/bench/soak.py
"""

import json
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.executions.soak_workload import soak  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="symphony-soak-") as var:
        report = soak(
            Path(var),
            int(os.environ.get("SOAK_EXECUTIONS", "5000")),
            clients=int(os.environ.get("SOAK_CLIENTS", "16")),
            lease=float(os.environ.get("SOAK_LEASE_SECONDS", "10")),
            scan=float(os.environ.get("SOAK_SCAN_SECONDS", "1")),
            timeout=600.0,
        )
    print(json.dumps(report, indent=2))
    sys.exit(1 if report["problems"] else 0)


if __name__ == "__main__":
    main()

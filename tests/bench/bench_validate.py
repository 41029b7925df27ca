"""Benchmark: Symphony's ASL validator against asl-validator (Node) on the same files, in one run.

Workloads: (a) every definition of ../shared/asl-corpus (1,186 files: read text, parse, validate);
(b) one generated 1,000-state definition (Task/Choice/Pass/Map/Parallel with Retry, Catch, payload
templates and intrinsic functions). Both validators get the text and parse it themselves. Prints JSON:
files per second for both, their ratio, and each validator's accuracy against the corpus labels.

Setup: asl-validator@4.0.0 is installed with npm into a cache directory (SYMPHONY_BENCH_CACHE, default
~/.cache/symphony-bench), never into the project's package.json.

    .venv/bin/python tests/bench/bench_validate.py [--rounds 3] [--peer-rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from designer.asl import validate  # noqa: E402

CORPUS = REPO / ".." / "shared" / "asl-corpus"
PEER = "asl-validator@4.0.0"
PEER_OPTIONS = {"checkPaths": True, "checkArn": True}  # the options peer_verdicts.json records
NODE_RUNNER = r"""
const fs = require("fs");
const validator = require("asl-validator");
const [files, rounds, options] = [JSON.parse(fs.readFileSync(process.argv[2], "utf8")), +process.argv[3],
                                   JSON.parse(process.argv[4])];
const texts = files.map((f) => fs.readFileSync(f, "utf8"));
let best = Infinity, verdicts = [];
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint();
  verdicts = texts.map((text) => {
    try { return validator(JSON.parse(text), options).isValid; } catch (e) { return false; }
  });
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
process.stdout.write(JSON.stringify({ seconds: best, verdicts }));
"""


def install_peer() -> Path:
    cache = (
        Path(os.environ.get("SYMPHONY_BENCH_CACHE", Path.home() / ".cache" / "symphony-bench"))
        / "asl-validator"
    )
    if not (cache / "node_modules" / "asl-validator" / "package.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(cache), PEER],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    (cache / "runner.js").write_text(NODE_RUNNER)
    return cache


def run_peer(cache: Path, files: list[Path], rounds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([str(f) for f in files], handle)
    try:
        out = subprocess.run(
            ["node", str(cache / "runner.js"), handle.name, str(rounds), json.dumps(PEER_OPTIONS)],
            cwd=cache,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(out.stdout)


def run_ours(files: list[Path], rounds: int) -> dict:
    texts = [f.read_text() for f in files]
    best, verdicts = float("inf"), []
    for _ in range(rounds):
        start = time.perf_counter()
        verdicts = [not any(d.is_error for d in validate(text)) for text in texts]
        best = min(best, time.perf_counter() - start)
    return {"seconds": best, "verdicts": verdicts}


def generated_definition(states: int = 1000) -> dict:
    """A chain of `states` states cycling through the kinds real definitions use."""
    body: dict[str, dict] = {}
    for i in range(states):
        name, following = f"S{i}", f"S{i + 1}"
        last = i == states - 1
        kind = i % 5
        if kind == 0:
            state = {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                    "FunctionName": "f",
                    "Payload": {"n.$": "States.MathAdd($.n, 1)", "id.$": "$$.Execution.Id"},
                },
                "ResultSelector": {"value.$": "$.Payload"},
                "ResultPath": "$.result",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 2.0}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": f"S{states - 1}"}],
            }
        elif kind == 1 and not last:
            state = {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 10, "Next": following},
                    {
                        "And": [
                            {"Variable": "$.s", "IsPresent": True},
                            {"Variable": "$.s", "StringMatches": "a*"},
                        ],
                        "Next": following,
                    },
                ],
                "Default": following,
            }
        elif kind == 2:
            state = {
                "Type": "Pass",
                "Parameters": {"text.$": "States.Format('item {}', $.n)"},
                "OutputPath": "$",
            }
        elif kind == 3:
            state = {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 5,
                "ItemProcessor": {"StartAt": f"M{i}", "States": {f"M{i}": {"Type": "Pass", "End": True}}},
            }
        else:
            state = {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": f"B{i}_{b}",
                        "States": {f"B{i}_{b}": {"Type": "Wait", "Seconds": 1, "End": True}},
                    }
                    for b in range(2)
                ],
            }
        if state["Type"] != "Choice":
            state.update({"End": True} if last else {"Next": following})
        body[name] = state
    return {"Comment": "generated", "StartAt": "S0", "States": body}


def accuracy(files: list[Path], verdicts: list[bool], labels: dict[str, bool]) -> float:
    right = sum(
        verdict == labels[str(f.relative_to(CORPUS.resolve()))]
        for f, verdict in zip(files, verdicts, strict=True)
    )
    return round(right / len(files), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    # asl-validator takes 0.5-1.5 s on each Map definition, minutes for the corpus: one round by default.
    parser.add_argument("--peer-rounds", type=int, default=1)
    args = parser.parse_args()
    cache = install_peer()
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    labels = {e["file"]: e["expected_valid"] for e in manifest}
    files = [(CORPUS / e["file"]).resolve() for e in manifest]

    ours, peer = run_ours(files, args.rounds), run_peer(cache, files, args.peer_rounds)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "generated-1000.asl.json"
        big.write_text(json.dumps(generated_definition(), indent=2))
        big_rounds = max(args.rounds, 5)
        ours_big, peer_big = run_ours([big], big_rounds), run_peer(cache, [big], big_rounds)
    result = {
        "benchmark": "asl validation",
        "peer": PEER + " " + json.dumps(PEER_OPTIONS),
        "corpus": {
            "files": len(files),
            "symphony_files_per_s": round(len(files) / ours["seconds"], 1),
            "asl_validator_files_per_s": round(len(files) / peer["seconds"], 1),
            "ratio": round(peer["seconds"] / ours["seconds"], 2),
            "symphony_accuracy": accuracy(files, ours["verdicts"], labels),
            "asl_validator_accuracy": accuracy(files, peer["verdicts"], labels),
        },
        "generated_1000_states": {
            "symphony_valid": ours_big["verdicts"][0],
            "asl_validator_valid": peer_big["verdicts"][0],
            "symphony_ms": round(ours_big["seconds"] * 1000, 1),
            "asl_validator_ms": round(peer_big["seconds"] * 1000, 1),
            "ratio": round(peer_big["seconds"] / ours_big["seconds"], 2),
        },
        "rounds": {"symphony": args.rounds, "asl_validator_corpus": args.peer_rounds},
        "note": "ratio > 1: Symphony faster; best round, parse included, process start excluded",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

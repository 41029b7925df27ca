"""Benchmark: the live run view under a fast execution, in headless Chromium. Prints JSON.

An execution produces ~500 history events a second for ~20 s (each second, a Map of 80 items
with two Pass states per item, then a 1 s Wait) while the run view (/executions/<id>/) watches;
it waits on an activity until the page has drawn it, so every burst is watched live:

1. Commit to shown: for each event, from its timestamp (taken just before its commit, as
   bench_runner.py measures) to the first animation frame in which both the graph and the steps
   table draw it (each marks the last event its render drew in `data-shown-through`). The page's
   own socket's arrival time is recorded too, so the view's share is separate from transport's.
   Target: p99 under 250 ms.
2. Click to paint, throughout: every ~300 ms a real mouse click (Chromium's input pipeline)
   alternately on a graph node and on a row of the steps table; from the click event's
   timestamp (when the input was created, so time queued behind rendering counts) to the frame
   after the selection is drawn. Target: under 100 ms.

Also printed: how many frames drew new events and the gaps between them, and how spread out the
arrivals each such frame drew were (the server delivers a burst's events close together).

Peer, in the same run: a bare WebSocket client (Python `websockets`, no browser, no rendering)
watching the same execution: the transport's floor, which the page cannot beat. `--profile`
prints where the page's main thread spent its time (a Chromium trace: scripts, style, layout,
paint) to stderr.

    .venv/bin/python tests/bench/bench_live.py [--items 80] [--cycles 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.bench.bench_runner import execution_pk, listen, session_for  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.executions.conftest import ROLE, client_for, make_server  # noqa: E402


def definition(items: int, cycles: int, gate: str) -> str:
    processor = {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Shape",
        "States": {
            "Shape": {"Type": "Pass", "Parameters": {"item.$": "$"}, "Next": "Keep"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }
    states = {
        "Init": {"Type": "Pass", "Result": {"n": 0, "items": list(range(items))}, "Next": "Hold"},
        # An activity the benchmark answers once the page has drawn the run: the bursts start then.
        "Hold": {"Type": "Task", "Resource": gate, "ResultPath": None, "Next": "Burst"},
        "Burst": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": processor,
            "ResultPath": None,
            "Next": "Count",
        },
        "Count": {
            "Type": "Pass",
            "Parameters": {"n.$": "States.MathAdd($.n, 1)", "items.$": "$.items"},
            "Next": "More?",
        },
        "More?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericLessThan": cycles, "Next": "Tick"}],
            "Default": "Done",
        },
        "Tick": {"Type": "Wait", "Seconds": 1, "Next": "Burst"},
        "Done": {"Type": "Succeed"},
    }
    return json.dumps({"Comment": "bench-live", "StartAt": "Init", "States": states})


# Before the page's own scripts: note when each event reaches the page's socket, and on every
# animation frame, which events the graph and the table draw.
INSTRUMENT_JS = r"""
(() => {
  const bench = (window.__bench = { stamps: {}, arrived: {}, shown: {}, through: 0, clicks: [] });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      // Not a second JSON.parse of every message: the page's own work is what is measured.
      this.addEventListener('message', (message) => {
        const now = performance.timeOrigin + performance.now();
        const text = String(message.data);
        if (!text.startsWith('{"type": "events"')) return;
        // Each event opens with its timestamp, type and id (events.py's event_dict).
        const opening = /\{"timestamp": ([\d.e+-]+), "type": "\w+", "id": (\d+)/g;
        for (const [, stamp, id] of text.matchAll(opening)) {
          bench.stamps[id] = Number(stamp) * 1000;
          bench.arrived[id] = now;
        }
      });
    }
  };
  const frame = () => {
    const graph = document.querySelector('.react-flow[data-shown-through]');
    const table = document.querySelector('#run-steps[data-shown-through]');
    if (graph && table) {
      const through = Math.min(Number(graph.dataset.shownThrough), Number(table.dataset.shownThrough));
      if (through > bench.through) {
        const now = performance.timeOrigin + performance.now();
        for (let id = bench.through + 1; id <= through; id++) bench.shown[id] = now;
        bench.through = through;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""

# Resolves once the click's selection is drawn, with the click-to-paint time in ms (null: not
# drawn within 5 s, or the click never came).
CLICK_ARM_JS = """(selector) => {
  window.__bench.pending = new Promise((resolve) => {
    setTimeout(() => resolve(null), 5000);
    document.addEventListener('click', (event) => {
      const start = event.timeStamp;
      const check = () => {
        if (document.querySelector(selector)) {
          // The frame is painted after its animation callbacks: a task queued now runs after it.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - start);
          channel.port2.postMessage(null);
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, { capture: true, once: true });
  });
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 1)


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p99_ms": percentile(values, 0.99),
        "max_ms": round(max(values), 1),
    }


def print_profile(trace: dict) -> None:
    """Where the page's main thread spent its time (a Chromium trace's top-level tasks' children
    by name: scripts, style, layout, paint), the hottest first."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    spent: dict[str, float] = {}
    for e in events:
        if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and "dur" in e:
            spent[e["name"]] = spent.get(e["name"], 0) + e["dur"] / 1000
    for name, ms in sorted(spent.items(), key=lambda item: -item[1])[:20]:
        print(f"{ms:9.1f} ms  {name}", file=sys.stderr)


def by_frame(ids: list[int], shown: dict[int, float]) -> dict[float, list[int]]:
    frames: dict[float, list[int]] = {}
    for i in ids:
        frames.setdefault(shown[i], []).append(i)
    return frames


def watch_bare(url: str, cookie: str, origin: str, samples: list, seen: list) -> threading.Thread:
    ready = asyncio.Event()

    def run() -> None:
        asyncio.run(listen(url, cookie, origin, ready, samples, seen))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=80)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument(
        "--profile", action="store_true", help="print where the page's main thread spent its time to stderr"
    )
    args = parser.parse_args()
    if not (REPO_ROOT / "static" / "dist" / "manifest.json").exists():
        sys.exit("Build the frontend first: npm ci && npm run build")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var:
        server = make_server(Path(var), LOG_LEVEL="ERROR")
        server.start()
        try:
            session = session_for(server, "bench")
            client = client_for(server.endpoint)
            gate = client.create_activity(name="bench-live-gate")["activityArn"]
            machine = client.create_state_machine(
                name="bench-live", definition=definition(args.items, args.cycles, gate), roleArn=ROLE
            )["stateMachineArn"]
            arn = client.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
            pk = execution_pk(server, arn)
            bare_samples: list = []
            bare_seen: list = []
            bare = watch_bare(
                f"ws://127.0.0.1:{server.port}/ws/executions/{pk}/",
                f"sessionid={session}",
                server.url,
                bare_samples,
                bare_seen,
            )
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
                context.add_init_script(INSTRUMENT_JS)
                page = context.new_page()
                page.goto(f"{server.url}/executions/{pk}/")
                page.wait_for_selector('.run-node[data-state-name="Count"]')
                page.wait_for_selector("#run-steps tr.run-step")
                ready = time.time()
                token = client.get_activity_task(activityArn=gate)["taskToken"]
                client.send_task_success(taskToken=token, output="{}")
                if args.profile:
                    browser.start_tracing(
                        page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"]
                    )
                clicks: list[float] = []
                targets = [
                    ('.run-node[data-state-name="Count"]', '.run-node.selected[data-state-name="Count"]'),
                    (
                        '#run-steps tr.run-step[data-state="Init"]',
                        '#run-steps tr.highlighted[data-state="Init"]',
                    ),
                ]
                turn = missed = 0
                while client.describe_execution(executionArn=arn)["status"] == "RUNNING":
                    target, drawn = targets[turn % 2]
                    turn += 1
                    element = page.locator(target).first
                    element.scroll_into_view_if_needed()
                    box = element.bounding_box()
                    if box is None:
                        continue
                    page.evaluate(CLICK_ARM_JS, drawn)
                    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    took = page.evaluate("() => window.__bench.pending")
                    print(f"click on {target}: {took} ms", file=sys.stderr)
                    if took is None:
                        missed += 1
                    else:
                        clicks.append(took)
                    time.sleep(0.3)
                status = client.describe_execution(executionArn=arn)["status"]
                page.wait_for_function(
                    "(n) => window.__bench.through >= n",
                    arg=len(client.get_execution_history(executionArn=arn, maxResults=1000)["events"]),
                    timeout=60000,
                )
                page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "bench-live.png"))
                measured = page.evaluate("() => window.__bench")
                if args.profile:
                    print_profile(json.loads(browser.stop_tracing()))
                browser.close()
            bare.join(60)
            history = []
            token = None
            while True:
                page_args = {
                    "executionArn": arn,
                    "maxResults": 1000,
                    **({"nextToken": token} if token else {}),
                }
                answer = client.get_execution_history(**page_args)
                history += answer["events"]
                token = answer.get("nextToken")
                if not token:
                    break
        finally:
            server.stop()

    stamps = {int(k): v for k, v in measured["stamps"].items()}
    arrived = {int(k): v for k, v in measured["arrived"].items()}
    shown = {int(k): v for k, v in measured["shown"].items()}
    # Live events only: those committed after the page had drawn the graph and the table.
    live = [i for i in stamps if stamps[i] / 1000 > ready and i in shown]
    first, last = min(live), max(live)
    span = (stamps[last] - stamps[first]) / 1000
    print(
        json.dumps(
            {
                "benchmark": "live run view",
                "workflow": f"{args.cycles} x (Map of {args.items} items, 2 Pass each; Wait 1 s)",
                "status": status,
                "events": len(history),
                "live_events_measured": len(live),
                "events_per_second_while_live": round(len(live) / span, 1),
                "seconds_live": round(span, 1),
                "commit_to_shown_on_graph_and_table": summary([shown[i] - stamps[i] for i in live]),
                "commit_to_page_socket": summary([arrived[i] - stamps[i] for i in live]),
                "socket_to_shown": summary([shown[i] - arrived[i] for i in live]),
                # How often the view drew new events: the gaps between those frames.
                "frames_that_drew_events": len(drawn := sorted({shown[i] for i in live})),
                "gap_between_those_frames": summary([b - a for a, b in itertools.pairwise(drawn)]),
                # Per such frame: from the first to the last arrival of the events it drew.
                "arrivals_per_frame_span": summary(
                    [
                        max(arrived[i] for i in ids) - min(arrived[i] for i in ids)
                        for ids in by_frame(live, shown).values()
                    ]
                ),
                "click_to_paint": {**summary(clicks), "clicks_not_drawn_within_5_s": missed},
                "peer_bare_websocket_client": {
                    **summary([(got - stamp) * 1000 for got, stamp in bare_samples if stamp > ready]),
                    "saw_every_event_once_in_order": bare_seen == [e["id"] for e in history],
                },
                "targets": {"commit_to_shown_p99_ms": 250, "click_to_paint_ms": 100},
                "met": {
                    "shown": percentile([shown[i] - stamps[i] for i in live], 0.99) < 250,
                    "click": max(clicks) < 100 and not missed,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")
    main()

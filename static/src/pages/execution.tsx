/**
 * Entry point for the execution pages (templates/executions/):
 * - `#execution-root`: the run view, fed by the execution's live stream;
 * - `#executions[data-live]`: the list, whose status badges follow the status stream;
 * - `#approval-outcome`: a decided approval page, following what the workflow did next.
 */
import "@xyflow/react/dist/style.css";
import "./execution.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { parseDocument } from "../asl/document";
import { streamExecution, streamStatuses } from "../live/execution-stream";
import { elkEngine } from "../layout/elk-engine";
import { relativeTime } from "./execution-format";
import { fetchPendingTasks, type ExecutionData, type PendingTask } from "./execution-data";
import { followDecision } from "./decision-outcome";
import { ExecutionApp } from "./execution-app";
import { RunContext, RunStore } from "./execution-store";

const WAITING_EVENTS = new Set(["TaskStarted", "TaskSubmitted", "TaskScheduled"]);

function mountRun(element: HTMLElement): void {
  const script = document.getElementById("execution-data");
  if (!script?.textContent) return;
  const data = JSON.parse(script.textContent) as ExecutionData;
  elkEngine(); // load the layout worker while the history streams in
  const store = new RunStore(data.status, parseDocument(data.definition).root);
  (window as unknown as { symphonyRun?: RunStore }).symphonyRun = store;
  const root = createRoot(element);
  let tasks: PendingTask[] = [];
  const render = () =>
    root.render(
      <StrictMode>
        <RunContext.Provider value={store}>
          <ExecutionApp data={data} tasks={tasks} />
        </RunContext.Provider>
      </StrictMode>,
    );
  // A step that waits for a task token gets its approval link once its token exists.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refreshTasks = () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      tasks = await fetchPendingTasks(data.tasksUrl);
      render();
    }, 150);
  };
  render();
  refreshTasks();
  // The token may be stored a moment after the events that announce the task: while a Task
  // state runs with no known token, ask again.
  const poll = setInterval(() => {
    if (store.run.execution.status !== "RUNNING") return clearInterval(poll);
    const waiting = store.run.visits.some((v) => v.stateType === "Task" && v.status === "running" && !tasks.some((t) => t.state === v.name));
    if (waiting) refreshTasks();
  }, 2000);
  streamExecution({
    executionId: data.id,
    lastEventId: () => store.run.lastEventId,
    onEvents: (events) => {
      store.applyEvents(events);
      if (events.some((event) => WAITING_EVENTS.has(event.type))) refreshTasks();
    },
    onStatus: (status) => store.setStatus(status),
    onConnection: (open) => store.setConnected(open),
  });
}

const STATUS_TEXT: Record<string, string> = { RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed", TIMED_OUT: "Timed out", ABORTED: "Aborted", PENDING_REDRIVE: "Pending redrive" };

function humanizeTimes(table: HTMLElement): void {
  const update = () => {
    for (const time of table.querySelectorAll<HTMLTimeElement>("time[datetime]")) {
      const ago = (Date.now() - Date.parse(time.dateTime)) / 1000;
      const text = ago < 30 * 86400 ? relativeTime(Math.max(0, ago)) : "";
      if (text) time.textContent = text;
    }
  };
  update();
  setInterval(update, 30000);
}

function announceNew(table: HTMLElement): void {
  if (document.getElementById("executions-new")) return;
  const note = document.createElement("p");
  note.id = "executions-new";
  note.className = "run-new";
  note.setAttribute("role", "status");
  const link = document.createElement("a");
  link.href = window.location.href;
  link.textContent = "Show them";
  note.append("New executions have started. ", link);
  table.before(note);
}

function followList(table: HTMLElement): void {
  humanizeTimes(table);
  streamStatuses(({ id, status }) => {
    const badge = table.querySelector<HTMLElement>(`tr[data-execution-id="${Number(id)}"] [data-status]`);
    if (!badge) {
      // An execution this page does not list yet: offer to show it (the list is newest first).
      if (status === "RUNNING") announceNew(table);
      return;
    }
    badge.textContent = STATUS_TEXT[status] ?? status;
    badge.dataset.status = status;
    badge.className = `run-badge status-${status.toLowerCase()}`;
    const duration = badge.closest("tr")?.querySelector<HTMLElement>("[data-duration]");
    if (duration && status !== "RUNNING") duration.textContent = "ended just now";
  });
}

const run = document.getElementById("execution-root");
if (run) mountRun(run);
const list = document.querySelector<HTMLElement>("#executions[data-live]");
if (list) followList(list);
const decided = document.getElementById("approval-outcome");
if (decided) followDecision(decided);

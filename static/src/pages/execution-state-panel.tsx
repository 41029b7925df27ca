/** The selected state's visits: status, error, each stage of its data flow, every attempt,
 * the function's log and its events; a state run many times (a loop, Map iterations) steps
 * through its visits, the latest followed live. A Map lists the iterations of the visit shown;
 * picking one shows its path on the graph. */
import { lazy, Suspense, useEffect, useState } from "react";

import { attempts, dataFlow, variablesBefore, type Stage } from "../live/data-flow";
import { calledFunction, logsOfVisit, type FunctionLog } from "../live/function-logs";
import type { MapIteration, StateVisit } from "../live/run-model";
import type { ExecutionWorkflow } from "./execution-data";
import { useRun } from "./execution-store";
import { JsonBlock } from "./execution-json";
import { STATUS_LABEL } from "./execution-run-node";
import { formatDuration, formatTime, prettyJson } from "./execution-format";
import { useNow } from "./use-now";

const RunDialog = lazy(() => import("../run/run-dialog").then((m) => ({ default: m.RunDialog })));

export function StatePanel({ logsUrl, workflow }: { logsUrl: string; workflow: ExecutionWorkflow | null }) {
  const store = useRun();
  const id = store.selected;
  const name = store.graph.states.find((state) => state.id === id)?.name;
  if (!id || name === undefined) {
    return (
      <aside className="run-card run-side" aria-label="State">
        <h2>State details</h2>
        <p className="run-empty">Click a state on the graph to see its input, output and events.</p>
        <ul className="run-legend">
          {(["running", "succeeded", "caught", "failed", "aborted", "not-reached"] as const).map((status) => (
            <li key={status}>
              <span className={`run-pip run-pip-${status}`} /> {STATUS_LABEL[status]}
            </li>
          ))}
        </ul>
      </aside>
    );
  }
  const visits = store.visitsOf(id);
  const status = store.statuses.get(id) ?? "not-reached";
  const focused = store.focus && store.inFocus(id) ? store.focus : null;
  return (
    <aside className="run-card run-side" aria-label="State">
      <div className="run-card-head">
        <h2 className="run-state-title" title={name}>
          {name}
        </h2>
        <span className={`run-badge run-badge-${status}`}>{STATUS_LABEL[status]}</span>
        <button type="button" className="run-link" onClick={() => store.select(null)} aria-label="Close">
          ✕
        </button>
      </div>
      {focused && (
        <p className="run-muted">
          In iteration {focused.index} of “{focused.map.name}”.{" "}
          <button type="button" className="run-link" onClick={() => store.focusIteration(null)}>
            All iterations
          </button>
        </p>
      )}
      {visits.length === 0 ? (
        <p className="run-empty">{focused ? "This iteration did not reach this state." : "This state has not been reached."}</p>
      ) : (
        <Visits key={`${id}/${focused?.index ?? ""}/${store.selectedVisit?.eventIds[0] ?? ""}`} visits={visits} stateId={id} logsUrl={logsUrl} workflow={workflow} />
      )}
    </aside>
  );
}

function Visits({ visits, stateId, logsUrl, workflow }: { visits: StateVisit[]; stateId: string; logsUrl: string; workflow: ExecutionWorkflow | null }) {
  const store = useRun();
  const eventById = store.eventAt;
  // null follows the latest visit as new ones arrive; a visit picked in the table or timeline starts there.
  const picked = store.selectedVisit ? visits.indexOf(store.selectedVisit) : -1;
  const [chosen, setChosen] = useState<number | null>(picked >= 0 && picked < visits.length - 1 ? picked : null);
  const index = Math.min(chosen ?? visits.length - 1, visits.length - 1);
  const visit = visits[index];
  const firstFailed = visits.findIndex((v) => v.status === "failed");
  return (
    <>
      {visits.length > 1 && (
        <div className="run-visits">
          <button type="button" className="run-link" disabled={index === 0} onClick={() => setChosen(index - 1)} aria-label="Previous visit">
            ‹
          </button>
          <span>
            Visit {index + 1} of {visits.length}
          </span>
          <button type="button" className="run-link" disabled={index === visits.length - 1} onClick={() => setChosen(index + 1 === visits.length - 1 ? null : index + 1)} aria-label="Next visit">
            ›
          </button>
          {firstFailed >= 0 && firstFailed !== index && (
            <button type="button" className="run-link" onClick={() => setChosen(firstFailed)}>
              First failed
            </button>
          )}
          <span className={`run-badge run-badge-${visit.status}`}>{STATUS_LABEL[visit.status]}</span>
        </div>
      )}
      <p className="run-muted">
        Entered {formatTime(visit.enteredAt)}
        {visit.exitedAt != null && visit.enteredAt != null ? `, took ${formatDuration(visit.exitedAt - visit.enteredAt)}` : ""}
      </p>
      {visit.error ? (
        <JsonBlock title="Error" value={visit.cause ? `${visit.error}: ${visit.cause}` : visit.error} tone="error" />
      ) : visit.status === "failed" && visit.stateType !== "Fail" && store.run.execution.error ? (
        // Failed in the state itself (States.Runtime, a bad path): the execution's failure says why.
        <JsonBlock title="Error" value={[store.run.execution.error, store.run.execution.cause].filter(Boolean).join(": ")} tone="error" />
      ) : (
        visit.stateType === "Fail" && <DefinedFailure {...store.definedFailure(stateId)} />
      )}
      {visit.iterations && <Iterations iterations={visit.iterations} />}
      {workflow?.canRun && store.run.execution.status !== "RUNNING" && <RunFromHere workflow={workflow} visit={visit} />}
      <DataFlow visit={visit} stateId={stateId} />
      <Attempts visit={visit} />
      <FunctionLogs visit={visit} logsUrl={logsUrl} />
      <section className="run-block" aria-label="State events">
        <h3>Events</h3>
        <ol className="run-visit-events">
          {visit.eventIds.map((id) => {
            const event = eventById(id);
            return (
              <li key={id}>
                <span className="run-muted">{id}</span> {event?.type} <span className="run-muted">{formatTime(event?.timestamp)}</span>
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}

/** Past this many, the picker lists the first ones and a box finds any other by index. */
const LISTED_AT_MOST = 300;

/** A Map visit's iterations by status; a click shows that iteration's path on the graph. */
function Iterations({ iterations }: { iterations: MapIteration[] }) {
  const store = useRun();
  const [filter, setFilter] = useState<"all" | "failed">("all");
  const [wanted, setWanted] = useState("");
  const matching = filter === "failed" ? iterations.filter((it) => it.status !== "succeeded" && it.status !== "running") : iterations;
  const shown = matching.slice(0, LISTED_AT_MOST);
  const pick = (iteration: MapIteration) => store.focusIteration(store.focus === iteration ? null : iteration);
  const found = wanted === "" ? undefined : iterations.find((it) => it.index === Number(wanted));
  return (
    <section className="run-block" aria-label="Iterations">
      <h3>
        Iterations <span className="run-count">{iterations.length}</span>
        {iterations.some((it) => it.status === "failed" || it.status === "aborted") && (
          <label className="run-filter">
            <input type="checkbox" checked={filter === "failed"} onChange={(e) => setFilter(e.target.checked ? "failed" : "all")} /> Failed only
          </label>
        )}
      </h3>
      {iterations.length === 0 ? (
        <p className="run-empty">No iterations started.</p>
      ) : (
        <ol className="run-iteration-list">
          {shown.map((iteration) => (
            <li key={iteration.index}>
              <button
                type="button"
                className={`run-iteration${store.focus === iteration ? " chosen" : ""}`}
                aria-pressed={store.focus === iteration}
                title={`Iteration ${iteration.index}: ${STATUS_LABEL[iteration.status]}`}
                onClick={() => pick(iteration)}
              >
                <span className={`run-pip run-pip-${iteration.status}`} /> {iteration.index}
              </button>
            </li>
          ))}
        </ol>
      )}
      {matching.length > shown.length && (
        <form
          className="run-iteration-find"
          onSubmit={(event) => {
            event.preventDefault();
            if (found) pick(found);
          }}
        >
          <span className="run-muted">{matching.length - shown.length} more. </span>
          <input type="number" min={0} aria-label="Iteration index" value={wanted} onChange={(e) => setWanted(e.target.value)} placeholder="index" />
          <button type="submit" className="run-link" disabled={!found}>
            Show
          </button>
        </form>
      )}
    </section>
  );
}

/** A Fail state's error as written in the definition (AWS puts it on no event of the state). */
function DefinedFailure({ error, cause }: { error?: string; cause?: string }) {
  if (error === undefined && cause === undefined) return null;
  return <JsonBlock title="Error" value={[error, cause].filter((part) => part !== undefined).join(": ")} tone="error" />;
}

/** Each stage of the visit's data flow, with the definition fields that shaped it. */
function DataFlow({ visit, stateId }: { visit: StateVisit; stateId: string }) {
  const store = useRun();
  const { state, jsonata } = store.stateDefinition(stateId);
  const stages = dataFlow(visit, store.eventAt, state, jsonata);
  return (
    <div className="run-data-flow" aria-label="Data flow">
      {stages.map((stage) => (
        <StageBlock key={stage.title} stage={stage} />
      ))}
    </div>
  );
}

function StageBlock({ stage }: { stage: Stage }) {
  const text = prettyJson(stage.value);
  return (
    <section className="run-block run-stage" aria-label={stage.title}>
      <h3>{stage.title}</h3>
      {stage.fields.length > 0 && (
        <dl className="run-stage-fields">
          {stage.fields.map((f) => (
            <div key={f.name}>
              <dt>{f.name}</dt>
              <dd>
                <code>{f.value}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {text ? <pre className="run-json">{text}</pre> : <p className="run-empty">{stage.missing ?? "—"}</p>}
    </section>
  );
}

/** Every attempt of a task: the retries, each failure's error and cause. */
function Attempts({ visit }: { visit: StateVisit }) {
  const store = useRun();
  const list = attempts(visit, store.eventAt);
  if (list.length < 2 && !list.some((a) => a.status === "failed")) return null;
  return (
    <section className="run-block" aria-label="Attempts">
      <h3>
        Attempts <span className="run-count">{list.length}</span>
      </h3>
      <ol className="run-attempts">
        {list.map((attempt) => (
          <li key={attempt.number} data-status={attempt.status}>
            <span className={`run-pip run-pip-${attempt.status}`} /> {attempt.number === 1 ? "First try" : `Retry ${attempt.number - 1}`}, {formatTime(attempt.startedAt)}
            {attempt.endedAt != null && attempt.startedAt != null ? ` · ${formatDuration(attempt.endedAt - attempt.startedAt)}` : ""}
            {attempt.status === "failed" && (
              <div className="run-attempt-error">
                {attempt.error}
                {attempt.cause ? `: ${attempt.cause}` : ""}
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** What the task's local function printed during this visit. */
function FunctionLogs({ visit, logsUrl }: { visit: StateVisit; logsUrl: string }) {
  const store = useRun();
  const name = visit.stateType === "Task" ? calledFunction(visit, store.eventAt) : undefined;
  const [logs, setLogs] = useState<FunctionLog[] | null>(null);
  const ended = visit.exitedAt !== undefined || visit.status !== "running";
  useEffect(() => {
    if (!name) return;
    let live = true;
    fetch(logsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { logs: [] }))
      .then((body: { logs: FunctionLog[] }) => live && setLogs(body.logs))
      .catch(() => live && setLogs([]));
    return () => {
      live = false;
    };
  }, [logsUrl, name, ended, visit.eventIds.length]);
  // A visit still running takes in what is printed until now.
  const now = useNow(!ended);
  if (!name) return null;
  const mine = logs ? logsOfVisit(logs, name, visit, now) : [];
  return (
    <section className="run-block" aria-label="Function log">
      <h3>
        Log of <code>{name}</code>
      </h3>
      {logs === null ? (
        <p className="run-empty">Loading…</p>
      ) : mine.length === 0 ? (
        <p className="run-empty">{ended ? "No call of this function was logged during this step." : "Not yet: the function has not returned."}</p>
      ) : (
        mine.map((log) => (
          <div key={log.requestId} className="run-function-log">
            <p className="run-muted">
              {formatTime(log.startedAt)} · {log.durationMs} ms{log.errorType ? ` · ${log.errorType}` : ""} · request {log.requestId.slice(0, 8)}
            </p>
            <pre className="run-json">{log.log || "(no output)"}</pre>
          </div>
        ))
      )}
    </section>
  );
}

/** Run from here: a new execution of the draft that starts at this step, with its input and the
 * variables it saw (after a fix, try the step again without running what came before it). Inside
 * a Parallel branch or a Map iteration, the run is the rest of that branch or iteration alone
 * (designer/asl/entry.py says why it cannot go on past its container). */
function RunFromHere({ workflow, visit }: { workflow: ExecutionWorkflow; visit: StateVisit }) {
  const store = useRun();
  const [open, setOpen] = useState(false);
  const group = visit.groupId === undefined ? undefined : store.graph.groups.find((g) => g.id === visit.groupId);
  const container = visit.parent?.name;
  const scope = !group || !container ? undefined : group.kind === "branch" ? { what: `${group.label.toLowerCase()} of “${container}”`, why: `a Parallel's result needs every branch's output` } : { what: `iteration ${visit.iteration?.index ?? ""} of “${container}”`.replace("  ", " "), why: `a Map's iterations share one processor, so one iteration cannot start at another state than the rest` };
  return (
    <>
      <button type="button" className="btn btn-sm run-from-here" onClick={() => setOpen(true)} title={scope ? `Run the rest of ${scope.what} from this step, alone` : "Run the draft from this step, with this step's input and variables"}>
        ▶ Run from here{scope ? ` (this ${group?.kind === "branch" ? "branch" : "iteration"})` : ""}
      </button>
      {open && (
        <Suspense fallback={null}>
          <RunDialog
            workflow={workflow}
            initialInput={JSON.stringify(visit.input ?? {})}
            from={{
              state: visit.name,
              variables: variablesBefore(store.run.visits, visit, store.eventAt),
              ...(group && scope ? { within: group.path, scope: `The run is the rest of ${scope.what} alone: its output is what that ${group.kind === "branch" ? "branch" : "iteration"} returns, and the states after “${container}” do not run (${scope.why}).` } : {}),
            }}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}

/**
 * The local function a Task visit called, and what it printed: a Lambda ARN resource names the
 * function (`arn:aws:lambda:...:function:name`), `lambda:invoke` its `FunctionName` parameter
 * (a name, or a function, version or alias ARN). The runtime keeps each call's log with the
 * execution; a visit's calls are those of its function made while it ran.
 */
import { eventDetails, payload, type HistoryEvent, type StateVisit } from "./run-model";

export interface FunctionLog {
  function: string;
  requestId: string;
  startedAt: number;
  durationMs: number;
  errorType: string;
  log: string;
}

/** `name` from a function name or ARN (`arn:aws:lambda:r:a:function:name[:qualifier]`). */
export function functionNameOf(reference: string): string {
  const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(reference);
  return match ? match[1] : reference;
}

export function calledFunction(visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined): string | undefined {
  for (const id of visit.eventIds) {
    const event = eventAt(id);
    if (!event) continue;
    if (event.type === "LambdaFunctionScheduled") return functionNameOf(String(eventDetails(event).resource ?? ""));
    if (event.type === "TaskScheduled") {
      const d = eventDetails(event);
      if (d.resourceType !== "lambda") continue;
      const parameters = payload(d.parameters) as { FunctionName?: unknown } | null;
      if (parameters && typeof parameters.FunctionName === "string") return functionNameOf(parameters.FunctionName);
    }
  }
  return undefined;
}

/** The calls of `name` made while the visit ran (a second of slack for clocks and rounding). */
export function logsOfVisit(logs: FunctionLog[], name: string, visit: StateVisit, now: number): FunctionLog[] {
  const from = (visit.enteredAt ?? 0) - 1;
  const to = (visit.exitedAt ?? now) + 1;
  return logs.filter((log) => log.function === name && log.startedAt >= from && log.startedAt <= to);
}

/**
 * What a workflow did with a reviewer's answer, from its history: how the waiting state took the
 * answer, the states it went through after it, and how the execution stands or ended (at which
 * state, with which error and cause). The approval page shows it live after a decision.
 */
import type { RunModel, StateVisit } from "./run-model";

export interface DecisionOutcome {
  /** RUNNING until the execution ends; then its status. */
  status: RunModel["execution"]["status"];
  /** The states entered after the waiting one, in order (same level as it). */
  after: string[];
  /** One sentence per fact: the answer taken, where the run is or how it ended. */
  sentences: string[];
  /** The state the execution failed in, when it failed there. */
  failedAt?: string;
}

function lastFailed(visits: StateVisit[]): StateVisit | undefined {
  for (let i = visits.length - 1; i >= 0; i--) if (visits[i].status === "failed") return visits[i];
  return undefined;
}

function reason(error?: string, cause?: string): string {
  return [error, cause].filter(Boolean).join(": ") || "no error given";
}

export function decisionOutcome(run: RunModel, stateName: string): DecisionOutcome {
  const visits = run.byName.get(stateName) ?? [];
  const waited = visits[visits.length - 1];
  const { status, error, cause } = run.execution;
  const sentences: string[] = [];
  let after: string[] = [];
  if (!waited) {
    sentences.push(`The history does not show ${stateName} yet.`);
  } else {
    const siblings = run.visits.filter((v) => v.parent === waited.parent);
    after = siblings.slice(siblings.indexOf(waited) + 1).map((v) => v.name);
    if (waited.status === "succeeded") sentences.push(`${stateName} took the answer as its result.`);
    else if (waited.status === "caught") sentences.push(`${stateName} received the answer as the error ${reason(waited.error, waited.cause)}, and its Catch took it.`);
    else if (waited.status === "running") sentences.push(`${stateName} has not taken the answer yet.`);
    if (after.length) sentences.push(`Then the workflow went to ${after.join(" → ")}.`);
  }
  let failedAt: string | undefined;
  if (status === "RUNNING") {
    const open = run.visits.filter((v) => v.status === "running" && v !== waited);
    sentences.push(open.length ? `The execution is running, now at ${open[open.length - 1].name}.` : "The execution is running.");
  } else if (status === "SUCCEEDED") {
    sentences.push("The execution succeeded.");
  } else {
    failedAt = lastFailed(run.visits)?.name;
    const verb = { FAILED: "failed", TIMED_OUT: "timed out", ABORTED: "was stopped", PENDING_REDRIVE: "is waiting to be redriven" }[status];
    sentences.push(`The execution ${verb}${failedAt ? ` at ${failedAt}` : ""}: ${reason(error, cause)}.`);
  }
  return { status, after, sentences, failedAt };
}

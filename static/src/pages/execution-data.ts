import type { RunnableWorkflow } from "../api/runs";

/** The designer workflow an execution ran (for the way back and "Run again"). */
export interface ExecutionWorkflow extends RunnableWorkflow {
  /** The version run; null: the draft. */
  version: number | null;
  /** "version 2" or "draft revision 7". */
  source: string;
  input: string;
  canRun: boolean;
}

/** What the server puts on the page for the run view (templates/executions/execution_detail.html). */
export interface ExecutionData {
  id: string;
  name: string;
  arn: string;
  status: string;
  stateMachineName: string;
  version: string;
  definition: string;
  startedAt: number;
  stoppedAt: number | null;
  stopUrl: string;
  redriveUrl: string;
  /** Whether the viewer may stop or redrive this run (the server checks again). */
  mayRun: boolean;
  redriveCount: number;
  listUrl: string;
  tasksUrl: string;
  /** The execution's function logs (`{logs: FunctionLog[]}`). */
  logsUrl: string;
  csrfToken: string;
  workflow: ExecutionWorkflow | null;
}

/** A `.waitForTaskToken` step waiting for a person, with its approval page. */
export interface PendingTask {
  state: string;
  url: string;
}

export async function fetchPendingTasks(url: string): Promise<PendingTask[]> {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) return [];
  return ((await response.json()) as { tasks: PendingTask[] }).tasks;
}

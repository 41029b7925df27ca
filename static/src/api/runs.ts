/** Runs of a workflow (`POST /api/workflows/<id>/runs/`) and its named test inputs. */
import { request } from "./client";

/** What the run dialog needs of a workflow: where its runs, versions and test inputs are. */
export interface RunnableWorkflow {
  id: number;
  name: string;
  links: { runs: string; versions: string; test_inputs: string; page: string; draft: string };
  /** Deploy targets whose AWS a run's Task integrations may call (publishers only). */
  aws_targets?: string[];
}

export interface Run {
  id: number;
  arn: string;
  name: string;
  status: string;
  input: string;
  started_at: string;
  stopped_at: string | null;
  version: number | null;
  draft_revision: number | null;
  /** Run from here: the state it started at ("" from the start). */
  start_at: string;
  links: { page: string };
}

export interface TestInput {
  id: number;
  name: string;
  input: string;
  updated_by: string | null;
  updated_at: string;
}

/** Start an execution of the draft (`version` null) or a version; an ApiError names the field at fault. */
export async function startRun(
  workflow: RunnableWorkflow,
  params: {
    input: string;
    name: string;
    version: number | null;
    start_at?: string;
    variables?: Record<string, unknown>;
    /** The path of the Parallel branch or Map iteration a run from here starts inside. */
    within?: (string | number)[];
    /** A deploy target's name: its AWS answers the run's Task integrations ("" the local AWS). */
    target?: string;
  },
): Promise<Run> {
  return (await request<Run>("POST", workflow.links.runs, params)).data;
}

export async function listTestInputs(workflow: RunnableWorkflow): Promise<TestInput[]> {
  return (await request<TestInput[]>("GET", workflow.links.test_inputs)).data;
}

/** Keep `input` under `name`: a new one, or `existing` changed. */
export async function saveTestInput(workflow: RunnableWorkflow, name: string, input: string, existing?: TestInput): Promise<TestInput> {
  if (existing) return (await request<TestInput>("PUT", `${workflow.links.test_inputs}${existing.id}/`, { name, input })).data;
  return (await request<TestInput>("POST", workflow.links.test_inputs, { name, input })).data;
}

export async function deleteTestInput(workflow: RunnableWorkflow, testInput: TestInput): Promise<void> {
  await request<null>("DELETE", `${workflow.links.test_inputs}${testInput.id}/`);
}

/** /api/test-state/: one state of the document run on its own (AWS's TestState, as the author). */
import { request } from "./client";

export interface TestStateRequest {
  definition: string;
  stateName: string;
  input?: string;
  variables?: string;
  mock?: { result: string } | { errorOutput: { error: string; cause: string } };
  inspectionLevel?: "INFO" | "DEBUG" | "TRACE";
}

/** TestState's answer: JSON texts, as AWS gives them. */
export interface TestStateAnswer {
  status: "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, unknown>;
}

export const TEST_STATE_URL = "/api/test-state/";

export async function testState(body: TestStateRequest): Promise<TestStateAnswer> {
  return (await request<TestStateAnswer>("POST", TEST_STATE_URL, body)).data;
}

/** The input `state` received in the caller's latest run of the workflow, or null if none ran it. */
export async function lastInput(workflowId: number, state: string): Promise<string | null> {
  try {
    const url = `/api/workflows/${workflowId}/runs/last-input/?state=${encodeURIComponent(state)}`;
    return (await request<{ input: string }>("GET", url)).data.input;
  } catch {
    return null;
  }
}

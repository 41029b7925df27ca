/** The workflow store's REST resources: workflow, draft (revision-checked), versions. */
import { request } from "./client";

export interface Workflow {
  id: number;
  name: string;
  description: string;
  type: string;
  revision: number;
  format: "json" | "yaml";
  links: { self: string; draft: string; versions: string; export: string; test_inputs: string; runs: string; page: string };
  /** May start executions of it (designer.services.can_run); set on the editor's page. */
  can_run?: boolean;
  /** May change it (designer.services.can_edit); false on the editor's page makes it view only. */
  can_edit?: boolean;
  /** Deploy targets a run may call AWS through (publishers only); set on the editor's page. */
  aws_targets?: string[];
}

/** Whether this user may only read it: the page said so (absent, as where no page set it, edits). */
export function isViewOnly(workflow: Workflow | null | undefined): boolean {
  return workflow?.can_edit === false;
}

export interface Draft {
  workflow: number;
  definition: string;
  format: "json" | "yaml";
  layout: Record<string, unknown>;
  revision: number;
  updated_at: string;
  updated_by: string | null;
}

export interface VersionSummary {
  id: number;
  number: number;
  message: string;
  author: string | null;
  created_at: string;
  format: "json" | "yaml";
  sha256: string;
  draft_revision: number;
}

export interface Version extends VersionSummary {
  definition: string;
}

export const workflowUrl = (id: string) => `/api/workflows/${encodeURIComponent(id)}/`;

export async function getWorkflow(id: string): Promise<Workflow> {
  return (await request<Workflow>("GET", workflowUrl(id))).data;
}

export async function getDraft(workflow: Workflow): Promise<Draft> {
  return getDraftAt(workflow.links.draft);
}

export async function getDraftAt(url: string): Promise<Draft> {
  return (await request<Draft>("GET", url)).data;
}

/** Save the draft if it is still at `revision`; a 409/412 ApiError means someone saved first. */
export async function putDraft(
  workflow: Workflow,
  revision: number,
  change: { definition?: string; layout?: Record<string, unknown> },
): Promise<Draft> {
  const headers = { "If-Match": `"${revision}"` };
  return (await request<Draft>("PUT", workflow.links.draft, { ...change, revision }, headers)).data;
}

export async function listVersions(workflow: { links: { versions: string } }): Promise<VersionSummary[]> {
  const data = (await request<VersionSummary[] | { results: VersionSummary[] }>("GET", workflow.links.versions)).data;
  return Array.isArray(data) ? data : data.results;
}

export async function getVersion(workflow: Workflow, number: number): Promise<Version> {
  return (await request<Version>("GET", `${workflow.links.versions}${number}/`)).data;
}

export async function createVersion(workflow: Workflow, message: string, revision: number): Promise<VersionSummary> {
  return (await request<VersionSummary>("POST", workflow.links.versions, { message, revision })).data;
}

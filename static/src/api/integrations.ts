/** What the inspector offers for a Task: an AWS integration's API parameters, and functions to call. */
import { ApiError, request } from "./client";

export interface ApiParameter {
  name: string;
  /** botocore's shape type: string, integer, long, double, float, boolean, timestamp, blob, list, map, structure. */
  type: string;
  required: boolean;
  documentation: string;
  enum?: string[];
  /** A list's item type. */
  items?: string;
  /** A structure's (or a list of structures') members, two levels deep. */
  members?: ApiParameter[];
}

export interface IntegrationParameters {
  resource: string;
  service: string;
  service_name: string;
  operation: string;
  documentation: string;
  parameters: ApiParameter[];
}

const cache = new Map<string, Promise<IntegrationParameters | null>>();

/** The API parameters the Resource takes (null: not an AWS integration botocore knows). */
export function integrationParameters(resource: string): Promise<IntegrationParameters | null> {
  let known = cache.get(resource);
  if (!known) {
    known = request<IntegrationParameters>("GET", `/api/integrations/parameters/?resource=${encodeURIComponent(resource)}`).then(
      (answer) => answer.data,
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 400) return null;
        cache.delete(resource);
        throw error;
      },
    );
    cache.set(resource, known);
  }
  return known;
}

export interface FunctionChoice {
  name: string;
  /** What FunctionName takes: the local function's name, or the target function's ARN. */
  value: string;
  /** "Local functions" or the target's name. */
  group: string;
  description?: string;
}

interface TargetSummary {
  id: number;
  name: string;
}

/** Every row of a list, following DRF's page links (or a plain array). */
async function allRows<T>(url: string): Promise<T[]> {
  const rows: T[] = [];
  for (let next: string | null = url; next; ) {
    const data: T[] | { results: T[]; next: string | null } = (await request<T[] | { results: T[]; next: string | null }>("GET", next)).data;
    if (Array.isArray(data)) return [...rows, ...data];
    rows.push(...data.results);
    next = data.next;
  }
  return rows;
}

/** Local functions, then each target's Lambda functions (publishers only; others see local ones). */
export async function functionChoices(): Promise<{ choices: FunctionChoice[]; problems: string[] }> {
  const problems: string[] = [];
  const local = await allRows<{ name: string }>("/api/functions/").then(
    (rows) => rows.map((f) => ({ name: f.name, value: f.name, group: "Local functions" })),
    (error: Error) => (problems.push(`Local functions: ${error.message}`), []),
  );
  const targets = await allRows<TargetSummary>("/api/targets/").then(
    (rows) => rows,
    () => [] as TargetSummary[], // not a publisher: targets are not theirs to list
  );
  const remote = await Promise.all(
    targets.map((target) =>
      request<{ name: string; arn: string; description: string }[]>("GET", `/api/targets/${target.id}/functions/`).then(
        (answer) => answer.data.map((f) => ({ name: f.name, value: f.arn, group: `Target ${target.name}`, description: f.description })),
        (error: Error) => (problems.push(`Target ${target.name}: ${error.message}`), []),
      ),
    ),
  );
  return { choices: [...local, ...remote.flat()], problems };
}

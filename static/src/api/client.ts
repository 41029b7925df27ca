/** The fetch wrapper every resource client uses: session cookie + CSRF token, JSON, typed errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector<HTMLInputElement>("input[name=csrfmiddlewaretoken]");
  return input?.value ?? "";
}

export interface JsonResponse<T> {
  data: T;
  headers: Headers;
}

export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", ...headers },
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  if (method !== "GET") (init.headers as Record<string, string>)["X-CSRFToken"] = csrfToken();
  const response = await fetch(url, init);
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) throw new ApiError(response.status, errorMessage(data, response), data);
  return { data: data as T, headers: response.headers };
}

function errorMessage(data: unknown, response: Response): string {
  if (data && typeof data === "object") {
    const record = data as Record<string, unknown>;
    for (const key of ["message", "detail", "error"]) if (typeof record[key] === "string") return record[key] as string;
  }
  return `${response.status} ${response.statusText}`;
}

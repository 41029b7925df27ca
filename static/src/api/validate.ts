/** /api/validate: the language core's diagnostics for a definition text. */
import { request } from "./client";

export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  /** JSON pointer; empty for the whole document. */
  pointer: string;
  state: string | null;
  line: number | null;
  column: number | null;
  message: string;
}

export interface ValidateResponse {
  result: "OK" | "FAIL";
  diagnostics: Diagnostic[];
}

export const VALIDATE_URL = "/api/validate/";

export async function validateDefinition(definition: string): Promise<ValidateResponse> {
  return (await request<ValidateResponse>("POST", VALIDATE_URL, { definition })).data;
}

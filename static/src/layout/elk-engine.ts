/**
 * The ELK engine for the page: elkjs in a web worker (its bundle is ~1.4 MB, so it is fetched
 * by the worker, off the main thread and out of the page's own bundle).
 */
import ELK from "elkjs/lib/elk-api.js";
import workerUrl from "elkjs/lib/elk-worker.min.js?url";

import type { ElkEngine } from "./elk-layout";

let engine: ElkEngine | null = null;

export function elkEngine(): ElkEngine {
  engine ??= new ELK({ workerUrl });
  return engine;
}

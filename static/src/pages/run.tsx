/**
 * Entry point for server-rendered pages with a Run button (the version page): a
 * `<button data-run-target="draft|N">` opens the run dialog for the workflow in `#run-data`.
 */
import { StrictMode } from "react";
import { createRoot, type Root } from "react-dom/client";

import type { RunnableWorkflow } from "../api/runs";
import { RunDialog, type RunTarget } from "../run/run-dialog";

function mount(workflow: RunnableWorkflow): void {
  let root: Root | null = null;
  const close = () => {
    root?.unmount();
    root = null;
  };
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-run-target]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const value = button.dataset.runTarget ?? "draft";
      const target: RunTarget = value === "draft" ? "draft" : Number(value);
      const host = document.getElementById("run-dialog-root") ?? document.body.appendChild(Object.assign(document.createElement("div"), { id: "run-dialog-root" }));
      root ??= createRoot(host);
      root.render(
        <StrictMode>
          <RunDialog workflow={workflow} initialTarget={target} onClose={close} />
        </StrictMode>,
      );
    });
  }
}

const data = document.getElementById("run-data")?.textContent;
if (data) mount(JSON.parse(data) as RunnableWorkflow);

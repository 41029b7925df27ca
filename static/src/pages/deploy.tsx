/**
 * The deploy page (server-rendered): rollouts follow their WebSocket stream, and a kept drift
 * mark opens side by side in the compare view (deployed on the target, published, draft).
 */
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";

import "@xyflow/react/dist/style.css";
import { connectWithRetry, wsUrl } from "../live/reconnecting-socket";
import { rolloutView, type RolloutSnapshot } from "../live/rollout-view";
import { CompareView, type Source } from "../panels/compare-view";
import "./editor.css";

function showRollout(element: HTMLElement, snapshot: RolloutSnapshot): void {
  const view = rolloutView(snapshot);
  element.dataset.rolloutStatus = view.status;
  const badge = element.querySelector<HTMLElement>(".rollout-status");
  if (badge) {
    badge.textContent = view.statusLabel;
    badge.className = `badge rollout-status ${view.statusClass}`;
  }
  const weight = element.querySelector<HTMLElement>(".rollout-weight");
  if (weight) weight.textContent = view.weightText;
  const progress = element.querySelector<HTMLProgressElement>(".rollout-progress");
  if (progress) {
    progress.value = view.weight;
    progress.textContent = view.weightText;
  }
  const events = element.querySelector<HTMLElement>(".rollout-events");
  if (events) events.replaceChildren(...view.events.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  if (!view.running) element.querySelector(".rollout-actions")?.remove();
}

function followRollouts(section: HTMLElement): void {
  const path = section.dataset.rolloutsSocket;
  if (!path) return;
  connectWithRetry({
    url: () => wsUrl(path),
    handlers: {
      rollouts(message) {
        for (const snapshot of message.rollouts as RolloutSnapshot[]) {
          const element = section.querySelector<HTMLElement>(`.rollout[data-deployment="${snapshot.deployment}"]`);
          if (element) showRollout(element, snapshot);
        }
      },
    },
    onConnection(open) {
      section.dataset.live = open ? "open" : "closed";
    },
  });
}

function DriftCompare({ sides }: { sides: Source[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="small-button" onClick={() => setOpen(true)}>
        Side by side
      </button>
      {open && <CompareView sources={sides} initial={{ before: "published", after: "deployed" }} onClose={() => setOpen(false)} />}
    </>
  );
}

const deployments = document.getElementById("deployments");
if (deployments) followRollouts(deployments);
const data = document.getElementById("drift-compare-data");
const root = document.getElementById("drift-compare-root");
if (data && root) {
  const { sides } = JSON.parse(data.textContent ?? "{}") as { sides: Source[] };
  createRoot(root).render(
    <StrictMode>
      <DriftCompare sides={sides} />
    </StrictMode>,
  );
}

/**
 * The navigation bar's Approvals count, kept true on an open page (base.html loads this for
 * reviewers): it is asked again when any execution the user may see moves (the status stream
 * rings on every committed transition, a decision's included), when another tab of this browser
 * decides (a storage event), when the page comes back into view, and every half minute for
 * executions the stream does not show this user.
 */
import { streamStatuses } from "../live/execution-stream";

const DECIDED_KEY = "symphony:approvals-decided";
const POLL_MS = 30_000;

function follow(link: HTMLAnchorElement): void {
  const url = link.dataset.countUrl;
  if (!url) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (count: number) => {
    let badge = link.querySelector<HTMLElement>("#approvals-count");
    if (count === 0) return badge?.remove();
    if (!badge) {
      badge = Object.assign(document.createElement("span"), { id: "approvals-count", className: "nav-count" });
      link.append(" ", badge);
    }
    badge.textContent = String(count);
    badge.title = `${count} waiting for a decision`;
  };
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (response.ok) show(((await response.json()) as { count: number }).count);
      } catch {
        // Offline for a moment: the next ring or poll asks again.
      }
    }, 300);
  };
  streamStatuses(refresh);
  window.addEventListener("storage", (event) => event.key === DECIDED_KEY && refresh());
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && refresh());
  setInterval(() => document.visibilityState === "visible" && refresh(), POLL_MS);
  // A decided approval page tells the other tabs.
  if (document.getElementById("approval-outcome")) localStorage.setItem(DECIDED_KEY, String(Date.now()));
}

const link = document.querySelector<HTMLAnchorElement>("#approvals-link");
if (link) follow(link);

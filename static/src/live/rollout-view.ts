/** What the deploy page shows of a rollout the server sent (designer/deploy/live.py's snapshot). */
export interface RolloutSnapshot {
  deployment: number;
  strategy: string;
  status: "RUNNING" | "SUCCEEDED" | "ROLLED_BACK";
  status_label: string;
  weight: number;
  max_failures: number;
  next_step_at: string;
  events: { at: string; message: string }[];
}

export interface RolloutView {
  status: string;
  statusLabel: string;
  statusClass: string;
  weight: number;
  weightText: string;
  events: string[];
  running: boolean;
}

const STATUS_CLASS: Record<string, string> = { SUCCEEDED: "badge-ok", ROLLED_BACK: "badge-error", RUNNING: "badge-warning" };

export function rolloutView(rollout: RolloutSnapshot): RolloutView {
  const weight = Math.max(0, Math.min(100, Math.round(rollout.weight)));
  return {
    status: rollout.status,
    statusLabel: rollout.status_label,
    statusClass: STATUS_CLASS[rollout.status] ?? "badge-muted",
    weight,
    weightText: `${weight}%`,
    // As the page renders them: the time to the second (UTC, as stored), then the message.
    events: rollout.events.map((event) => `${event.at.slice(0, 19)} ${event.message}`),
    running: rollout.status === "RUNNING",
  };
}

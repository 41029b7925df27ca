import { describe, expect, it } from "vitest";

import { rolloutView } from "./rollout-view";

describe("rolloutView", () => {
  it("shows a running step and its events as the page renders them", () => {
    const view = rolloutView({
      deployment: 3,
      strategy: "LINEAR",
      status: "RUNNING",
      status_label: "Running",
      weight: 40,
      max_failures: 0,
      next_step_at: "2026-01-01T00:01:00+00:00",
      events: [{ at: "2026-01-01T00:00:00.123456+00:00", message: "40% on the new version." }],
    });
    expect(view).toEqual({
      status: "RUNNING",
      statusLabel: "Running",
      statusClass: "badge-warning",
      weight: 40,
      weightText: "40%",
      events: ["2026-01-01T00:00:00 40% on the new version."],
      running: true,
    });
  });

  it("marks a rolled back rollout as over, with no share on the new version", () => {
    const view = rolloutView({
      deployment: 3,
      strategy: "CANARY",
      status: "ROLLED_BACK",
      status_label: "Rolled back",
      weight: 0,
      max_failures: 1,
      next_step_at: "2026-01-01T00:01:00+00:00",
      events: [],
    });
    expect([view.running, view.statusClass, view.weightText]).toEqual([false, "badge-error", "0%"]);
  });
});

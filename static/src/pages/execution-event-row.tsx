/** One history event: id, type, time since the start and, on demand, its details as pretty JSON. */
import { memo, useState } from "react";

import type { HistoryEvent } from "../live/run-model";
import { eventBody, formatDuration, formatTime } from "./execution-format";

function summary(event: HistoryEvent): string {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith("EventDetails") || !value || typeof value !== "object") continue;
    const d = value as Record<string, unknown>;
    if (typeof d.name === "string") return d.name;
    if (typeof d.error === "string") return d.error + (typeof d.cause === "string" ? `: ${d.cause.slice(0, 80)}` : "");
    if (typeof d.resource === "string") return `${d.resourceType ?? ""} ${d.resource}`.trim();
  }
  return "";
}

function EventRowView({ event, start, highlighted }: { event: HistoryEvent; start: number | null; highlighted: boolean }) {
  const [open, setOpen] = useState(false);
  const failed = /Failed|TimedOut|Aborted/.test(event.type);
  return (
    <>
      <tr className={`run-event${failed ? " run-event-failed" : ""}${highlighted ? " highlighted" : ""}`} data-event-id={event.id} onClick={() => setOpen(!open)}>
        <td className="num">{event.id}</td>
        <td className="num muted">{event.previousEventId}</td>
        <td>
          <span className="run-event-type">{event.type}</span>
        </td>
        <td className="run-event-summary">{summary(event)}</td>
        <td className="num muted" title={formatTime(event.timestamp)}>
          {start != null && event.timestamp != null ? `+${formatDuration(event.timestamp - start)}` : ""}
        </td>
        <td className="run-event-toggle">
          <button type="button" className="run-link" aria-expanded={open}>
            {open ? "Hide" : "Details"}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="run-event-details">
          <td colSpan={6}>
            <pre className="run-json">{JSON.stringify(eventBody(event), null, 2)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

export const EventRow = memo(EventRowView);

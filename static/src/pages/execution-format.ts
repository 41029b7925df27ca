/** How the run view writes times, durations and JSON for people. */
const DATE = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 });

/** Seconds since the epoch (AWS's timestamps) as a local date and time. */
export function formatDate(seconds: number | null | undefined): string {
  return seconds == null ? "—" : DATE.format(new Date(seconds * 1000));
}

export function formatTime(seconds: number | null | undefined): string {
  return seconds == null ? "" : TIME.format(new Date(seconds * 1000));
}

export function formatDuration(seconds: number): string {
  if (seconds < 0) seconds = 0;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Indented JSON for a value (text that is not JSON is shown as it is). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** An event's details without its envelope, with JSON-in-text fields (input, output...) unfolded. */
export function eventBody(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === "id" || key === "previousEventId" || key === "type" || key === "timestamp") continue;
    out[key] = unfold(value);
  }
  return out;
}

const JSON_FIELDS = new Set(["input", "output", "parameters", "cause"]);

function unfold(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (typeof v === "string" && JSON_FIELDS.has(key)) {
        const trimmed = v.trimStart();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
          try {
            return [key, JSON.parse(v)];
          } catch {
            return [key, v];
          }
        }
      }
      return [key, v];
    }),
  );
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 5]];

/** "3 minutes ago", "yesterday", for a moment that many seconds ago ("" past five weeks). */
export function relativeTime(seconds: number): string {
  let value = Math.round(seconds);
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return RELATIVE.format(-value, unit);
    value = Math.round(value / size);
  }
  return "";
}


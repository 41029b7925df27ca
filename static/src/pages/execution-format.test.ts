import { describe, expect, it } from "vitest";

import { eventBody, formatDuration, prettyJson, relativeTime } from "./execution-format";

describe("run view formatting", () => {
  it("writes durations at a scale a person reads", () => {
    expect(formatDuration(0.0421)).toBe("42 ms");
    expect(formatDuration(3.2)).toBe("3.20 s");
    expect(formatDuration(75)).toBe("1 min 15 s");
    expect(formatDuration(3 * 3600 + 120)).toBe("3 h 2 min");
    expect(formatDuration(3 * 86400 + 3600)).toBe("3 d 1 h");
  });

  it("indents JSON, and leaves text that is not JSON alone", () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson("not json")).toBe("not json");
    expect(prettyJson(undefined)).toBe("");
  });

  it("unfolds the JSON text inside event details, not the envelope", () => {
    const body = eventBody({
      id: 3,
      previousEventId: 2,
      type: "PassStateExited",
      timestamp: 1,
      stateExitedEventDetails: { name: "P", output: '{"order":42}', outputDetails: { truncated: false } },
    });
    expect(body).toEqual({ stateExitedEventDetails: { name: "P", output: { order: 42 }, outputDetails: { truncated: false } } });
    expect(eventBody({ id: 1, type: "X", e: { cause: "plain words" } })).toEqual({ e: { cause: "plain words" } });
  });

  it("says how long ago, in the largest unit that fits", () => {
    expect(relativeTime(0)).toBe("now");
    expect(relativeTime(125)).toBe("2 minutes ago");
    expect(relativeTime(3 * 3600)).toBe("3 hours ago");
    expect(relativeTime(86400)).toBe("yesterday");
    expect(relativeTime(400 * 86400)).toBe("");
  });
});

import { describe, expect, it } from "vitest";

import { describeInvocation, utf8Length } from "./function-invocation";

describe("describeInvocation", () => {
  it("shows the response and the log of a success", () => {
    const view = describeInvocation({ ok: true, result: { n: 1 }, log: "hi\n", durationMs: 12, requestId: "r-1" });
    expect(view.tone).toBe("ok");
    expect(view.title).toBe("Succeeded · Duration 12 ms · Request ID r-1");
    expect(view.sections).toEqual([
      { label: "Response", text: '{\n  "n": 1\n}' },
      { label: "Log output", text: "hi\n" },
    ]);
  });

  it("shows a null response as null and leaves out an empty log", () => {
    const view = describeInvocation({ ok: true, result: null, log: "", durationMs: 1, requestId: "r" });
    expect(view.sections).toEqual([{ label: "Response", text: "null" }]);
  });

  it("shows an error with its type and message, the stack trace and the log", () => {
    const trace = ['  File "/var/task/f.py", line 2, in handler\n    raise KeyError("x")\n'];
    const view = describeInvocation({
      ok: false,
      errorType: "KeyError",
      errorMessage: "'x'",
      stackTrace: trace,
      log: "before\n",
      durationMs: 30,
      requestId: "r-2",
    });
    expect(view.tone).toBe("error");
    expect(view.title).toBe("Failed: KeyError · Duration 30 ms · Request ID r-2");
    expect(view.sections.map((s) => s.label)).toEqual(["Error", "Stack trace", "Log output"]);
    expect(JSON.parse(view.sections[0].text)).toEqual({ errorMessage: "'x'", errorType: "KeyError" });
    expect(view.sections[1].text).toBe(trace[0]);
  });

  it("says why nothing ran when the request was refused", () => {
    const view = describeInvocation({ invalid: { field: "event", message: "event: line 1, column 2: Expecting value" } });
    expect(view).toEqual({ tone: "error", title: "Not run: event: line 1, column 2: Expecting value", sections: [] });
  });
});

describe("utf8Length", () => {
  it("counts bytes as the server does", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("🎵")).toBe(4);
  });
});

import { describe, expect, it } from "vitest";

import { inputProblem, MAX_INPUT_BYTES, nameProblem } from "./run-input";

describe("inputProblem", () => {
  it("takes any JSON value", () => {
    for (const text of ["{}", '{"a": [1, 2]}', "[]", "42", '"text"', "null", "  {\n}\n"]) expect(inputProblem(text)).toBeNull();
  });

  it("says what is wrong and where", () => {
    expect(inputProblem('{\n  "a": 1,\n}')).toBe("Property name expected at line 3, column 1.");
    expect(inputProblem('{"a" 1}')).toBe("Colon expected at line 1, column 6.");
    expect(inputProblem("")).toBe("Enter JSON, e.g. {} for no input.");
  });

  it("holds StartExecution's 256 KiB limit in bytes, not characters", () => {
    const fits = `"${"a".repeat(MAX_INPUT_BYTES - 2)}"`;
    expect(inputProblem(fits)).toBeNull();
    // Each é is two bytes in UTF-8.
    expect(inputProblem(`"${"é".repeat(MAX_INPUT_BYTES / 2)}"`)).toMatch(/^The input is 262,146 bytes/);
  });
});

describe("nameProblem", () => {
  it("takes AWS's names and an empty one", () => {
    for (const name of ["", "run-1", "Übung_2", "a".repeat(80), "café.v2"]) expect(nameProblem(name)).toBeNull();
  });

  it("refuses what StartExecution refuses", () => {
    expect(nameProblem("a".repeat(81))).toBe("At most 80 characters.");
    for (const name of ["has space", "a/b", "x:y", "tab\t", "{x}", "a*", "50%", "ctl\u0001"]) expect(nameProblem(name)).not.toBeNull();
  });
});

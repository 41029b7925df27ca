import { describe, expect, it } from "vitest";

import { nameWords } from "./state-name";

describe("nameWords", () => {
  it("splits at case changes, digits and separators, keeping every character", () => {
    expect(nameWords("IngestReading")).toEqual(["Ingest", "Reading"]);
    expect(nameWords("SendSQSMessage")).toEqual(["Send", "SQS", "Message"]);
    expect(nameWords("Step2Retry")).toEqual(["Step", "2", "Retry"]);
    expect(nameWords("record-backorder_v2.final")).toEqual(["record-", "backorder_", "v", "2.", "final"]);
    expect(nameWords("lowercase")).toEqual(["lowercase"]);
    expect(nameWords("A")).toEqual(["A"]);
    expect(nameWords("Wait 5 s")).toEqual(["Wait 5 s"]);
  });

  it("never loses or adds text", () => {
    for (const name of ["IngestReading", "HTTPCall", "ÄpfelZählen", "ends-", "::", "x/y:z"]) {
      expect(nameWords(name).join("")).toBe(name);
    }
  });
});

import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { compareStates } from "./compare";

describe("compareStates", () => {
  it("finds added, removed and changed states, nested ones included", () => {
    const before = parseDocument('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"End":true},"Old":{"Type":"Succeed"}}}').root;
    const after = parseDocument('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Result":1,"End":true}}}],"End":true},"New":{"Type":"Succeed"}}}').root;
    expect(compareStates(before, after)).toEqual({
      added: ["/States/New"],
      removed: ["/States/Old"],
      changed: ["/States/P/Branches/0/States/X"],
    });
  });
});

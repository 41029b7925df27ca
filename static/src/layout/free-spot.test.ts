import { describe, expect, it } from "vitest";

import { freeSpot } from "./free-spot";

const box = (x: number, y: number, width = 220, height = 64) => ({ x, y, width, height });
const overlaps = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("freeSpot", () => {
  it("keeps a drop where nothing is", () => {
    expect(freeSpot(box(500, 500), [box(0, 0), box(0, 120)])).toEqual(box(500, 500));
  });

  it("moves a drop on the start marker or a state to the nearest clear place", () => {
    const marker = box(100, 0, 28, 28);
    const state = box(0, 80);
    const landed = freeSpot(box(0, 0), [marker, state]);
    expect(overlaps(landed, marker) || overlaps(landed, state)).toBe(false);
    // Near where it was dropped: within a node's width or height.
    expect(Math.hypot(landed.x, landed.y)).toBeLessThan(220);
  });

  it("finds room in a crowded column", () => {
    const column = Array.from({ length: 10 }, (_, i) => box(0, i * 80));
    const landed = freeSpot(box(10, 300), column);
    expect(column.some((b) => overlaps(landed, b))).toBe(false);
  });
});

/**
 * Where a dropped state lands: where it was dropped if nothing is there, else the nearest place
 * (searched on a 20 px grid, nearest first) where it overlaps no other node, with a margin.
 */
import type { Box } from "./elk-layout";

const STEP = 20;
const REACH = 30; // grid steps each way: 600 px
const MARGIN = 16;

const clear = (box: Box, others: Box[]) =>
  !others.some((o) => box.x < o.x + o.width + MARGIN && o.x < box.x + box.width + MARGIN && box.y < o.y + o.height + MARGIN && o.y < box.y + box.height + MARGIN);

let offsets: [number, number][] | undefined;

export function freeSpot(want: Box, others: Box[]): Box {
  if (clear(want, others)) return want;
  offsets ??= Array.from({ length: (2 * REACH + 1) ** 2 }, (_, i): [number, number] => [(i % (2 * REACH + 1)) - REACH, Math.floor(i / (2 * REACH + 1)) - REACH]).sort(
    ([a, b], [c, d]) => a * a + b * b - (c * c + d * d),
  );
  for (const [dx, dy] of offsets) {
    const box = { ...want, x: want.x + dx * STEP, y: want.y + dy * STEP };
    if (clear(box, others)) return box;
  }
  return want;
}

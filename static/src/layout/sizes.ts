/** Node sizes shared by the layout and the canvas, so ELK lays out what React draws. */
export const STATE_SIZE = { width: 220, height: 64 };
export const MARKER_SIZE = { width: 28, height: 28 };
export const CONTAINER_HEADER = 52;
export const GROUP_HEADER = 28;
export const PADDING = 16;

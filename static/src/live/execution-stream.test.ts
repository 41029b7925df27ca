import { afterEach, describe, expect, it, vi } from "vitest";

import { streamExecution } from "./execution-stream";
import type { SocketLike } from "./reconnecting-socket";
import { applyEvent, createRun, type HistoryEvent } from "./run-model";

class FakeSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  send(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.onclose?.({});
  }
  close() {
    this.closed = true;
  }
}

const event = (id: number): HistoryEvent => ({ id, previousEventId: id - 1, type: "PassStateEntered", timestamp: id, stateEnteredEventDetails: { name: `S${id}` } });

afterEach(() => vi.useRealTimers());

describe("execution stream", () => {
  it("reconnects after a drop, resuming after the last event applied; stops once the run has ended", () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const run = createRun();
    const statuses: string[] = [];
    const batches: number[][] = [];
    streamExecution({
      executionId: "7",
      lastEventId: () => run.lastEventId,
      onEvents: (events) => {
        batches.push(events.map((e) => e.id));
        for (const e of events) applyEvent(run, e);
      },
      onStatus: (s) => statuses.push(s),
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      path: (id, after) => `ws://test/ws/executions/${id}/?after=${after}`,
    });
    expect(sockets.map((s) => s.url)).toEqual(["ws://test/ws/executions/7/?after=0"]);
    sockets[0].onopen?.({});
    sockets[0].send({ type: "events", events: [event(1), event(2)] });
    sockets[0].send({ type: "status", status: "RUNNING", last_event_id: 2 });
    sockets[0].drop();
    expect(sockets).toHaveLength(1); // waits before trying again
    vi.advanceTimersByTime(600);
    expect(sockets[1].url).toBe("ws://test/ws/executions/7/?after=2");
    // A resent event is applied once.
    sockets[1].send({ type: "events", events: [event(2), event(3)] });
    sockets[1].send({ type: "status", status: "SUCCEEDED", last_event_id: 3 });
    expect(batches).toEqual([[1, 2], [2, 3]]); // a message's events arrive together, in order
    expect(run.events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(statuses).toEqual(["RUNNING", "SUCCEEDED"]);
    sockets[1].drop();
    vi.advanceTimersByTime(60000);
    expect(sockets).toHaveLength(2);
  });

  it("backs off while the server stays away, and close() stops it", () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const connection = streamExecution({
      executionId: "1",
      lastEventId: () => 0,
      onEvents: () => {},
      onStatus: () => {},
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      path: (id, after) => `${id}/${after}`,
    });
    sockets[0].drop();
    vi.advanceTimersByTime(500);
    sockets[1].drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2); // the second pause is longer
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(3);
    connection.close();
    expect(sockets[2].closed).toBe(true);
    sockets[2].drop();
    vi.advanceTimersByTime(60000);
    expect(sockets).toHaveLength(3);
  });
});

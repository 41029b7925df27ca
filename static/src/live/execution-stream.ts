/**
 * The live history of one execution (`/ws/executions/<id>/`): the server sends the stored
 * backlog after `?after=`, then new events, once each, several to a message (`{type: "events",
 * events: [...]}`, in order: a commit's burst is one message); a reconnect resumes after the last
 * event this client applied, so nothing is missed and nothing repeats.
 */
import { connectWithRetry, wsUrl, type Connection, type SocketFactory } from "./reconnecting-socket";
import type { HistoryEvent } from "./run-model";

export interface ExecutionStreamOptions {
  executionId: string;
  /** The last event id already applied (read on every (re)connect). */
  lastEventId(): number;
  /** Events in order, as one message brought them (apply them, then draw once). */
  onEvents(events: HistoryEvent[]): void;
  onStatus(status: string): void;
  onConnection?(open: boolean): void;
  createSocket?: SocketFactory;
  path?: (executionId: string, after: number) => string;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

export function streamExecution(options: ExecutionStreamOptions): Connection {
  const path = options.path ?? ((id, after) => wsUrl(`/ws/executions/${id}/?after=${after}`));
  let status = "";
  return connectWithRetry({
    url: () => path(options.executionId, options.lastEventId()),
    createSocket: options.createSocket,
    onConnection: options.onConnection,
    // The server sends a terminal status only after the events before it: nothing is left to come.
    done: () => TERMINAL.has(status),
    handlers: {
      events: (message) => options.onEvents(message.events as HistoryEvent[]),
      status: (message) => {
        status = String(message.status);
        options.onStatus(status);
      },
    },
  });
}

/** Status changes of the executions the user may see (`/ws/executions/`), for list pages. */
export function streamStatuses(
  onStatus: (change: { id: number; executionArn: string; status: string }) => void,
  createSocket?: SocketFactory,
): Connection {
  return connectWithRetry({
    url: () => wsUrl("/ws/executions/"),
    createSocket,
    handlers: { status: (message) => onStatus(message as unknown as { id: number; executionArn: string; status: string }) },
  });
}

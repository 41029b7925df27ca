/**
 * A WebSocket that reconnects after a drop, with a growing pause (capped), to a URL computed
 * afresh each time, so a stream can resume after the last event it delivered. Messages are
 * parsed JSON and dispatched by their `type`, one handler per type.
 */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface ReconnectOptions {
  /** The URL to (re)connect to: called before every attempt. */
  url(): string;
  handlers: Record<string, (message: Record<string, unknown>) => void>;
  /** Called with true when a connection opens, false when it drops. */
  onConnection?(open: boolean): void;
  /** Stop reconnecting (e.g. the execution has ended and everything arrived). */
  done?(): boolean;
  createSocket?: SocketFactory;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface Connection {
  close(): void;
}

export function wsUrl(path: string, location: { protocol: string; host: string } = window.location): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

export function connectWithRetry(options: ReconnectOptions): Connection {
  const create = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const first = options.firstDelayMs ?? 500;
  const max = options.maxDelayMs ?? 10000;
  let delay = first;
  let closed = false;
  let socket: SocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    if (closed) return;
    socket = create(options.url());
    socket.onopen = () => {
      delay = first;
      options.onConnection?.(true);
    };
    socket.onmessage = ({ data }) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data));
      } catch {
        return; // not ours: the server only sends JSON
      }
      options.handlers[String(message.type)]?.(message);
    };
    socket.onclose = () => {
      options.onConnection?.(false);
      if (closed || options.done?.()) return;
      timer = setTimeout(open, delay);
      delay = Math.min(max, delay * 2);
    };
  };
  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

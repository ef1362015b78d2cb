import { Credentials, DemoFailure, DemoHttp } from './demo-http';

export interface StreamEvent {
  event: string;
  data: any;
}

/**
 * A server-sent event stream read over fetch: every event goes to `onEvent` as it arrives, and
 * `until` resolves with the first one a predicate accepts.
 */
export class EventStream {
  private readonly abort = new AbortController();
  private readonly seen: StreamEvent[] = [];
  private waiters: { accept: (e: StreamEvent) => boolean; resolve: (e: StreamEvent) => void }[] = [];
  private ended: Error | null = null;
  private onEnd: (() => void)[] = [];

  private constructor(private readonly onEvent: (e: StreamEvent) => void) {}

  static async open(http: DemoHttp, path: string, auth: Credentials, onEvent: (e: StreamEvent) => void) {
    const stream = new EventStream(onEvent);
    const response = await fetch(`${http.baseUrl}${path}`, {
      headers: { ...http.headers(auth), accept: 'text/event-stream' },
      signal: stream.abort.signal,
    });
    if (response.status !== 200 || !response.body) {
      throw new DemoFailure(`GET ${path} answered ${response.status}, expected an event stream`);
    }
    void stream.read(response.body);
    return stream;
  }

  until(accept: (e: StreamEvent) => boolean, timeoutMs: number, what: string): Promise<StreamEvent> {
    const already = this.seen.find(accept);
    if (already) return Promise.resolve(already);
    if (this.ended) return Promise.reject(new DemoFailure(`the event stream ended before ${what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DemoFailure(`no event within ${timeoutMs} ms: ${what}`)), timeoutMs);
      const waiter = {
        accept,
        resolve: (e: StreamEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.push(waiter);
      this.onEnd.push(() => {
        clearTimeout(timer);
        reject(new DemoFailure(`the event stream ended before ${what}`));
      });
    });
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let gap: RegExpExecArray | null;
        while ((gap = /\r?\n\r?\n/.exec(buffer))) {
          this.dispatch(buffer.slice(0, gap.index));
          buffer = buffer.slice(gap.index + gap[0].length);
        }
      }
      this.ended = new Error('closed');
    } catch (error) {
      this.ended = error as Error;
    }
    this.onEnd.forEach((end) => end());
  }

  /** One SSE message: `event:` and `data:` lines (comments and ids are ignored). */
  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!data.length) return;
    let parsed: unknown = data.join('\n');
    try {
      parsed = JSON.parse(parsed as string);
    } catch {
      // a non-JSON data line is passed on as text
    }
    const e = { event, data: parsed };
    this.seen.push(e);
    this.onEvent(e);
    const matched = this.waiters.filter((w) => w.accept(e));
    this.waiters = this.waiters.filter((w) => !matched.includes(w));
    matched.forEach((w) => w.resolve(e));
  }
}

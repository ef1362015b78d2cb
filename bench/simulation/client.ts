/** The driver's HTTP side: counters, a bound on open requests, and an optional observer of every answer. */

export interface Counters {
  joinAttempts: number;
  accepted: number;
  /** players of the accepted joins: two for a party's ticket */
  acceptedMembers: number;
  partiesFormed: number;
  activeGame409: number;
  alreadyInQueue409: number;
  otherJoinErrors: number;
  polls: number;
  pollErrors: number;
  matchedSeen: number;
  timedOutSeen: number;
  cancelRequests: number;
  cancelled: number;
  cancelTooLate: number;
  waiting: number;
  inGame: number;
  httpErrors: number;
  /** SSE connections opened */
  streams: number;
  /** joins whose answer was lost (transport error) but that went through, found with GET /active */
  recoveredJoins: number;
  /** joins answered 409 ALREADY_IN_QUEUE whose existing entry the player then followed */
  adoptedJoins: number;
  /** what went wrong, e.g. "POST 503 MATCHMAKING_UNAVAILABLE" or "GET fetch failed (UND_ERR_HEADERS_TIMEOUT)" → count */
  errorKinds: Record<string, number>;
}

export function newCounters(): Counters {
  return {
    joinAttempts: 0,
    accepted: 0,
    acceptedMembers: 0,
    partiesFormed: 0,
    activeGame409: 0,
    alreadyInQueue409: 0,
    otherJoinErrors: 0,
    polls: 0,
    pollErrors: 0,
    matchedSeen: 0,
    timedOutSeen: 0,
    cancelRequests: 0,
    cancelled: 0,
    cancelTooLate: 0,
    waiting: 0,
    inGame: 0,
    httpErrors: 0,
    streams: 0,
    recoveredJoins: 0,
    adoptedJoins: 0,
    errorKinds: {},
  };
}

/** One answer as the client saw it; status 0 = no answer (connection refused, reset, timeout). */
export interface Observed {
  method: string;
  path: string;
  status: number;
  code: string | null;
  at: number;
  body: any;
}

export interface HttpResult {
  status: number;
  json: any;
}

/** Statuses the load expects in normal play, so they are not counted as errors. */
const EXPECTED_409 = new Set(['ACTIVE_GAME_EXISTS', 'CANNOT_CANCEL', 'ALREADY_IN_QUEUE']);
/** A client gives up on an answer after this; a hung service must not hang the driver. */
const REQUEST_TIMEOUT_MS = 15_000;

export class SimClient {
  private inFlight = 0;
  private readonly queued: Array<() => void> = [];

  constructor(
    readonly baseUrl: string,
    readonly counters: Counters,
    private readonly maxInFlight: number,
    private readonly observe?: (o: Observed) => void,
  ) {}

  /** An answer received outside request() (an event stream), shown to the observer like any other. */
  note(method: string, path: string, status: number, code: string | null): void {
    this.observe?.({ method, path, status, code, at: Date.now(), body: null });
  }

  countError(kind: string): void {
    this.counters.errorKinds[kind] = (this.counters.errorKinds[kind] ?? 0) + 1;
  }

  /** One request; the driver is one process standing in for thousands of clients, so open requests are bounded. */
  async request(method: string, path: string, auth: string, body?: unknown): Promise<HttpResult> {
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => this.queued.push(resolve));
    this.inFlight++;
    try {
      return await this.send(method, path, auth, body);
    } finally {
      this.inFlight--;
      this.queued.shift()?.();
    }
  }

  private async send(method: string, path: string, auth: string, body?: unknown): Promise<HttpResult> {
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        headers:
          body === undefined ? { authorization: auth } : { authorization: auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = { unparsable: text.slice(0, 200) };
      }
      if (res.status >= 400 && !(res.status === 409 && EXPECTED_409.has(json?.code))) {
        this.countError(`${method} ${res.status} ${json?.code ?? ''}`.trim());
      }
      this.observe?.({ method, path, status: res.status, code: json?.code ?? null, at: Date.now(), body: json });
      return { status: res.status, json };
    } catch (error) {
      this.counters.httpErrors++;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      this.countError(
        `${method} ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
      );
      this.observe?.({ method, path, status: 0, code: null, at: Date.now(), body: null });
      return { status: 0, json: { error: String(error) } };
    }
  }
}

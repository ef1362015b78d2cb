/** A step's expectation that the service did not meet; the message says what happened instead. */
export class DemoFailure extends Error {}

export type Credentials = { token: string } | { apiKey: string } | null;

export interface Reply {
  status: number;
  body: any;
}

/** What the demo prints: one place, so --verbose and the test can see every HTTP call. */
export interface DemoOutput {
  line(text: string): void;
  verbose: boolean;
}

/** Per-request timeout: a hung service fails the step instead of hanging the demo. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Longest body shown by --verbose; QueueEntries and Challenges fit, summaries are cut. */
const VERBOSE_BODY_CHARS = 400;

const shorten = (text: string) => (text.length > VERBOSE_BODY_CHARS ? `${text.slice(0, VERBOSE_BODY_CHARS)}…` : text);

/** JSON over fetch against the service, printing each call under --verbose. */
export class DemoHttp {
  constructor(
    readonly baseUrl: string,
    private readonly out: DemoOutput,
  ) {}

  headers(auth: Credentials): Record<string, string> {
    if (!auth) return {};
    return 'token' in auth ? { authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey };
  }

  async call(method: string, path: string, auth: Credentials, body?: unknown, as = ''): Promise<Reply> {
    const started = Date.now();
    const sent = body === undefined ? '' : JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...this.headers(auth), ...(sent ? { 'content-type': 'application/json' } : {}) },
        body: sent || undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      // fetch() hides the useful part (ECONNREFUSED, ...) in err.cause
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new DemoFailure(`${method} ${this.baseUrl}${path} failed: ${why}`);
    }
    const text = await response.text();
    if (this.out.verbose) {
      const who = as ? ` (as ${as})` : '';
      this.out.line(`     ${method} ${path}${who}${sent ? ` ${shorten(sent)}` : ''}`);
      this.out.line(`       → ${response.status} in ${Date.now() - started} ms ${shorten(text)}`);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (an HTML error page from something else on the port): kept as text for the message
    }
    return { status: response.status, body: parsed };
  }

  /** The call, or a DemoFailure naming the expected and the actual status (and the problem's detail). */
  async expect(status: number, method: string, path: string, auth: Credentials, body?: unknown, as = '') {
    const reply = await this.call(method, path, auth, body, as);
    if (reply.status !== status) {
      const problem = reply.body as { code?: string; detail?: string } | string | null;
      const why =
        problem && typeof problem === 'object'
          ? `${problem.code ?? ''} ${problem.detail ?? ''}`.trim()
          : String(problem).slice(0, VERBOSE_BODY_CHARS);
      throw new DemoFailure(`${method} ${path} answered ${reply.status}, expected ${status}: ${why}`);
    }
    return reply.body;
  }
}

import http from 'http';

export interface EventStream {
  status: number;
  /** The `data` of every event received so far, parsed. */
  events: any[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close: () => void;
}

/** Opens a server-sent event stream the way a browser's EventSource would (token in the query). */
export function openEvents(url: string, path: string, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}?access_token=${token}`, (res) => {
      const events: any[] = [];
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)));
        }
      });
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      resolve({ status: res.statusCode!, events, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

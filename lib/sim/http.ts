/**
 * The node:http plumbing the fake platform servers share: listening on 127.0.0.1 at a free port, reading a
 * bounded request body, holding a request open (the 'timeout' fault) in a way `close()` can release, and
 * answering 500 when the fake itself throws so a test fails loudly rather than hangs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Largest request body the fakes read. */
export const MAX_BODY_BYTES = 1_000_000;

/** Holds a request for `ms`; resolves true if the response can still be written, false if the client left or the server closed. */
export type Hold = (ms: number, res: ServerResponse) => Promise<boolean>;

/** Serves one request; `hold` implements the 'timeout' fault. */
export type FakeHandler = (req: IncomingMessage, res: ServerResponse, hold: Hold) => Promise<void>;

export interface LoopbackServer {
  /** Origin, e.g. http://127.0.0.1:54321. */
  readonly baseUrl: string;
  /** Stops listening, drops open connections and releases pending holds. */
  close(): Promise<void>;
}

/** A fake platform API on loopback, with the log of the requests it saw (tokens never recorded). */
export interface FakeServer<Entry> extends LoopbackServer {
  readonly requests: Entry[];
}

/** The first value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request body as UTF-8; throws `tooLarge()` past MAX_BODY_BYTES. */
export async function readBody(
  req: IncomingMessage,
  tooLarge: () => Error = () => new RangeError('request body too large'),
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a complete text response with its content-length. */
export function sendText(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, text: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts `handler` on 127.0.0.1 at a free port; `label` names the fake in the 500 of its own bugs. */
export async function startLoopbackServer(label: string, handler: FakeHandler): Promise<LoopbackServer> {
  const holds = new Set<() => void>();
  const hold: Hold = (ms, res) =>
    new Promise((resolve) => {
      const done = (served: boolean) => {
        clearTimeout(timer);
        holds.delete(release);
        res.off('close', onClose);
        resolve(served);
      };
      const release = () => done(false);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(!res.destroyed), ms);
      holds.add(release);
      res.on('close', onClose);
    });
  const server = createServer((req, res) => {
    handler(req, res, hold).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${label} server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of [...holds]) release();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A copy of `target` with `path` (dotted) set to `value`, copying only the objects along the path (for 'malformed' faults). */
export function withField(target: unknown, path: readonly string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const record = typeof target === 'object' && target !== null && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  return { ...record, [key]: withField(record[key], rest, value) };
}

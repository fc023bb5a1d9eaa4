import net from 'node:net';

/**
 * A lean HTTP/1.1 client for the load: keep-alive connections each carrying one request at a
 * time (as Shopify delivers), requests written as prepared bytes, answers read for their status
 * and length only. node:http's client cost about 0.45 ms of CPU per request, on the cores the
 * server and PostgreSQL need; this costs about half of that, so the figures say more about the
 * server. A connection the server closed while idle (its keep-alive timeout) is reopened, and a
 * request it had not begun to answer is sent again, as HTTP clients do.
 */
export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: Request[] = [];

  constructor(port: number, connections: number) {
    for (let i = 0; i < connections; i++) this.idle.push(new Connection(port, (connection) => this.free(connection)));
  }

  /** Resolves with the answer's status code. */
  post(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = { bytes, resolve, reject, attempts: 0 };
      const connection = this.idle.shift();
      if (connection) connection.send(request);
      else this.waiting.push(request);
    });
  }

  private free(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) connection.send(next);
    else this.idle.push(connection);
  }

  close(): void {
    for (const connection of this.idle) connection.close();
  }
}

interface Request {
  bytes: Buffer;
  resolve(status: number): void;
  reject(error: Error): void;
  attempts: number;
}

/** One keep-alive connection: a request out, its answer parsed (status line, Content-Length, body skipped). */
class Connection {
  private readonly port: number;
  private readonly onFree: (connection: Connection) => void;
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Request | null = null;

  constructor(port: number, onFree: (connection: Connection) => void) {
    this.port = port;
    this.onFree = onFree;
  }

  send(request: Request): void {
    this.pending = request;
    request.attempts++;
    if (!this.socket) this.open();
    this.socket!.write(request.bytes);
  }

  close(): void {
    this.socket?.end();
  }

  private open(): void {
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined); // 'close' follows and decides
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      const request = this.pending;
      if (!request) return;
      this.pending = null;
      // Closed before any of the answer arrived (an idle timeout racing the write): send it again.
      if (this.buffer.length === 0 && request.attempts < 3) this.send(request);
      else request.reject(new Error('connection closed before the answer'));
    });
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isFinite(length)) {
      this.pending.reject(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
      this.pending = null;
      this.socket?.destroy();
      return;
    }
    if (this.buffer.length < end + 4 + length) return;
    this.buffer = this.buffer.subarray(end + 4 + length);
    const request = this.pending;
    this.pending = null;
    request.resolve(Number(head.slice(9, 12)));
    this.onFree(this);
  }
}

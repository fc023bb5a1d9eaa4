import net from 'node:net';

/**
 * A lean HTTP/1.1 client for the load: keep-alive sockets each carrying one request at a time
 * (as Shopify delivers), requests written as prepared bytes, answers read for their status and
 * length only. node:http's client cost about 0.45 ms of CPU per request, on the cores the server
 * and PostgreSQL need; this costs a fraction of that, so the figures say more about the server.
 */
export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: { request: Buffer; resolve: (status: number) => void; reject: (error: Error) => void }[] = [];
  private constructor() {}

  static async connect(port: number, count: number): Promise<RawHttpClient> {
    const client = new RawHttpClient();
    const sockets = await Promise.all(Array.from({ length: count }, () => new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
      socket.once('error', reject);
    })));
    for (const socket of sockets) client.idle.push(new Connection(socket, () => client.next(socket)));
    return client;
  }

  post(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      const connection = this.idle.pop();
      if (connection) connection.send(request, resolve, reject);
      else this.waiting.push({ request, resolve, reject });
    });
  }

  private next(socket: net.Socket): void {
    const connection = (socket as net.Socket & { connection: Connection }).connection;
    const queued = this.waiting.shift();
    if (queued) connection.send(queued.request, queued.resolve, queued.reject);
    else this.idle.push(connection);
  }

  close(): void {
    for (const connection of this.idle) connection.socket.end();
  }
}

/** One keep-alive socket: a request out, its answer parsed (status line, Content-Length, body skipped). */
class Connection {
  readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;

  constructor(socket: net.Socket, onFree: () => void) {
    this.socket = socket;
    (socket as net.Socket & { connection: Connection }).connection = this;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0 || !this.pending) return;
      const head = this.buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      if (!Number.isFinite(length)) return this.fail(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
      if (this.buffer.length < end + 4 + length) return;
      this.buffer = this.buffer.subarray(end + 4 + length);
      const { resolve } = this.pending;
      this.pending = null;
      resolve(Number(head.slice(9, 12)));
      onFree();
    });
    socket.on('error', (error) => this.fail(error));
  }

  send(request: Buffer, resolve: (status: number) => void, reject: (error: Error) => void): void {
    this.pending = { resolve, reject };
    this.socket.write(request);
  }

  private fail(error: Error): void {
    this.pending?.reject(error);
    this.pending = null;
  }
}

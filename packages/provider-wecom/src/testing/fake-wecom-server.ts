import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerFakeRequest, type FakeAnswer, type JsonRecord, wecomFailure } from './fake-wecom-routes.ts';
import {
  createFakeWecomWorld,
  type FakeAppchat,
  type FakeExternalContact,
  type FakeMedia,
  type FakeSentMessage,
  type FakeWecomUser,
  type FakeWecomWorldOptions,
} from './fake-wecom-world.ts';

/**
 * How the next matching request fails: an errcode (WeCom's JSON error in a 200), `'network'` (the connection
 * is dropped without an answer), or an HTTP status (a proxy or gateway failing).
 */
export type FakeWecomFailure =
  | number
  | { readonly errcode: number; readonly errmsg?: string }
  | 'network'
  | { readonly status: number; readonly body?: string };

export interface FakeWecomRequestRecord {
  readonly method: string;
  /** Under `/cgi-bin/` for API calls (`message/send`), else the whole path (`/avatar/zhangsan`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body; for uploads `{ fileName, mimeType, size }`. */
  readonly body: unknown;
  /** Milliseconds since the epoch, by the fake's clock. */
  readonly at: number;
  /** What was injected with `failNext`, if this request met it. */
  readonly failure?: FakeWecomFailure;
}

export interface FakeWecomServerOptions extends FakeWecomWorldOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
}

/** A WeCom API on 127.0.0.1 (`api_base_url: server.url`), with the controls a test needs. */
export interface FakeWecomServer {
  /** The base URL, e.g. `http://127.0.0.1:40123`: the provider's `api_base_url`. */
  readonly url: string;
  readonly corpId: string;
  readonly agentId: number;
  /** The app Secret `gettoken` accepts. */
  readonly secret: string;
  /** Rotates the Secret (as an admin resetting it): the old one gets 40001 from now on. */
  setSecret(secret: string): void;
  /** Expires the issued tokens early; calls with them answer `answer` (42001 by default, or 40014 as observed). */
  expireToken(options?: { readonly answer?: 40014 | 42001 }): void;
  /** The next request to `path` (`message/send`, `/cgi-bin/gettoken`, or `*` for any) fails this way. Queued. */
  failNext(path: string, failure: FakeWecomFailure): void;
  clearFailures(): void;
  /** Every request, oldest first; `access_token` and `corpsecret` included as sent. */
  requests(): readonly FakeWecomRequestRecord[];
  /** What `message/send` and `appchat/send` accepted, oldest first. */
  sentMessages(): readonly FakeSentMessage[];
  /** Forgets the recorded requests and sent messages. */
  clearRecords(): void;
  /** Stores media as if uploaded (what a member's message refers to); returns its media_id. */
  putMedia(media: {
    readonly type?: string;
    readonly data: Uint8Array;
    readonly mimeType: string;
    readonly fileName: string;
  }): string;
  /** Stored media (uploads and `putMedia`), while its 3 days last. */
  media(mediaId: string): FakeMedia | undefined;
  /** A public URL for stored media, as a message's `PicUrl` is. */
  picUrl(mediaId: string): string;
  addUser(user: FakeWecomUser): void;
  addExternalContact(contact: FakeExternalContact): void;
  appchat(chatid: string): FakeAppchat | undefined;
  close(): Promise<void>;
}

// A 1×1 PNG served for avatars and logos (WeCom's CDN in real life).
const avatarPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const normalisePath = (path: string) => path.replace(/^\/?(cgi-bin\/)?/, '');

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function writeAnswer(response: ServerResponse, answer: FakeAnswer): void {
  switch (answer.kind) {
    case 'json': {
      const body = JSON.stringify(answer.body);
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return;
    }
    case 'file': {
      const { media } = answer;
      const ascii = media.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
      response.writeHead(200, {
        'content-type': media.mimeType,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(media.fileName)}`,
        'content-length': media.data.byteLength,
      });
      response.end(media.data);
      return;
    }
    case 'status':
      response.writeHead(answer.status, { 'content-type': 'text/plain' });
      response.end(answer.body);
  }
}

/** Starts a fake WeCom API (reference A.1–A.3) on 127.0.0.1; close it when done. */
export async function startFakeWecomServer(options: FakeWecomServerOptions = {}): Promise<FakeWecomServer> {
  const world = createFakeWecomWorld(options);
  const failures = new Map<string, FakeWecomFailure[]>();
  const records: FakeWecomRequestRecord[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const takeFailure = (path: string): FakeWecomFailure | undefined => failures.get(path)?.shift() ?? failures.get('*')?.shift();

  const parseBody = async (request: IncomingMessage, body: Buffer) => {
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      try {
        const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
        const part = form.get('media');
        if (!(part instanceof File)) return { json: undefined, upload: undefined };
        return {
          json: undefined,
          upload: { fileName: part.name, mimeType: part.type, data: new Uint8Array(await part.arrayBuffer()) },
        };
      } catch {
        return { json: undefined, upload: undefined };
      }
    }
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      const json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonRecord) : undefined;
      return { json, upload: undefined };
    } catch {
      return { json: undefined, upload: undefined };
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const method = request.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    if (!url.pathname.startsWith('/cgi-bin/')) {
      records.push({ method, path: url.pathname, query, body: undefined, at: world.now() });
      const [, kind, id = ''] = url.pathname.split('/');
      // PicUrl is a CDN copy: it outlives the 3-day media_id, which is why the provider falls back to it.
      const media = kind === 'pic' ? world.media.get(decodeURIComponent(id)) : undefined;
      if (kind === 'avatar') return writeAnswer(response, { kind: 'file', media: { ...avatarMedia, fileName: `${id}.png` } });
      if (media) return writeAnswer(response, { kind: 'file', media });
      return writeAnswer(response, { kind: 'status', status: 404, body: 'Not Found' });
    }
    const path = normalisePath(url.pathname);
    const { json, upload } = await parseBody(request, body);
    const failure = takeFailure(path);
    records.push({
      method,
      path,
      query,
      body: upload ? { fileName: upload.fileName, mimeType: upload.mimeType, size: upload.data.byteLength } : json,
      at: world.now(),
      ...(failure === undefined ? {} : { failure }),
    });
    if (failure === 'network') {
      request.socket.destroy();
      return;
    }
    if (typeof failure === 'number') return writeAnswer(response, wecomFailure(failure, `injected errcode ${failure}`));
    if (failure && 'errcode' in failure)
      return writeAnswer(response, wecomFailure(failure.errcode, failure.errmsg ?? `injected errcode ${failure.errcode}`));
    if (failure) return writeAnswer(response, { kind: 'status', status: failure.status, body: failure.body ?? '' });
    writeAnswer(response, answerFakeRequest(world, { method, path, query: url.searchParams, json, upload, baseUrl }));
  };

  const avatarMedia: FakeMedia = {
    mediaId: 'avatar',
    type: 'image',
    data: avatarPng,
    mimeType: 'image/png',
    fileName: 'avatar.png',
    createdAt: 0,
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    corpId: world.corpId,
    agentId: world.agentId,
    get secret() {
      return world.secret;
    },
    setSecret: secret => world.setSecret(secret),
    expireToken: ({ answer = 42001 } = {}) => world.expireToken(answer),
    failNext: (path, failure) => {
      const key = path === '*' ? '*' : normalisePath(path);
      failures.set(key, [...(failures.get(key) ?? []), failure]);
    },
    clearFailures: () => failures.clear(),
    requests: () => [...records],
    sentMessages: () => [...world.sent],
    clearRecords: () => {
      records.length = 0;
      world.sent.length = 0;
    },
    putMedia: ({ type = 'file', ...media }) => world.storeMedia({ type, ...media }).mediaId,
    media: mediaId => world.findMedia(mediaId),
    picUrl: mediaId => `${baseUrl}/pic/${encodeURIComponent(mediaId)}`,
    addUser: user => {
      world.users.set(user.userid.toLowerCase(), user);
    },
    addExternalContact: contact => {
      world.externalContacts.set(contact.external_userid, contact);
    },
    appchat: chatid => world.appchats.get(chatid),
    close: async () => {
      const closed = new Promise<void>(resolve => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBytes } from './http-listener.ts';
import { colourFor, imageExtension, solidPng } from './placeholder-images.ts';
import { contentTypeOf } from './media-store.ts';
import type { SimCore } from './sim-core.ts';

/**
 * The file server (GeWe's port 2532, B.4): `GET /download/<fileUrl>` serves downloads. The simulator also
 * serves head images (`/avatar/<wxid>.png`, `/avatar/small/<wxid>.png`), emoji CDN URLs (`/emoji/<md5>`) and
 * files a test hosted (`/hosted/…`).
 */
export function createFileRequestHandler(core: SimCore): (request: IncomingMessage, response: ServerResponse) => void {
  const notFound = (response: ServerResponse) => sendBytes(response, 404, 'not found', 'text/plain; charset=utf-8');
  const hasAvatar = (id: string) => {
    const { world } = core;
    if (id === world.self.wxid || world.rooms.has(id)) return true;
    return world.contacts.get(id)?.avatar === true;
  };

  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendBytes(response, 405, 'method not allowed', 'text/plain; charset=utf-8');
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://simulator').pathname).replace(/^\/+/, '');
    const avatar = /^avatar\/(small\/)?(.+)\.png$/.exec(path);
    if (avatar) {
      const id = avatar[2]!;
      if (!hasAvatar(id)) return notFound(response);
      const size = avatar[1] ? 16 : 64;
      return sendBytes(response, 200, solidPng(size, size, colourFor(id)), 'image/png');
    }
    const emoji = /^emoji\/([0-9a-f]{32})$/i.exec(path);
    if (emoji) {
      const item = core.media.byMd5(emoji[1]!);
      if (!item) return notFound(response);
      return sendBytes(response, 200, item.data, contentTypeOf(imageExtension(item.data)));
    }
    const file = core.media.served(path);
    if (!file) return notFound(response);
    sendBytes(response, 200, file.data, file.contentType);
  };
}

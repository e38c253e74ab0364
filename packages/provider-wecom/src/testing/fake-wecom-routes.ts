import { wecomMediaLimits } from '../api/media-limits.ts';
import type { FakeMedia, FakeWecomUser, FakeWecomWorld } from './fake-wecom-world.ts';
import { mediaFormatAccepted } from './media-sniff.ts';

export type JsonRecord = Readonly<Record<string, unknown>>;

/** One API request, parsed: `path` is under `/cgi-bin/` (`message/send`). */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** A POST's JSON body; undefined when absent or not a JSON object. */
  readonly json: JsonRecord | undefined;
  /** `media/upload`'s `media` part: its file name, part Content-Type and bytes. */
  readonly upload: { readonly fileName: string; readonly mimeType: string; readonly data: Uint8Array } | undefined;
  /** Where the fake serves avatar images (a stand-in for WeCom's CDN). */
  readonly baseUrl: string;
}

export type FakeAnswer =
  | { readonly kind: 'json'; readonly body: JsonRecord }
  | { readonly kind: 'file'; readonly media: FakeMedia }
  | { readonly kind: 'status'; readonly status: number; readonly body: string };

type Handler = (world: FakeWecomWorld, request: FakeRequest) => FakeAnswer;

const json = (body: JsonRecord): FakeAnswer => ({ kind: 'json', body });
const ok = (extra: JsonRecord = {}): FakeAnswer => json({ errcode: 0, errmsg: 'ok', ...extra });
/** Error bodies as WeCom writes them: `{"errcode":42001,"errmsg":"access_token expired"}` (reference A.1). */
export const wecomFailure = (errcode: number, errmsg: string): FakeAnswer => json({ errcode, errmsg });

const tokenMessages: Readonly<Record<number, string>> = {
  41001: 'access_token missing',
  40014: 'invalid access_token',
  42001: 'access_token expired',
};

/** The msgtypes `message/send` and `appchat/send` accept (reference A.2). */
const msgtypes = new Set([
  'text',
  'image',
  'voice',
  'video',
  'file',
  'textcard',
  'news',
  'mpnews',
  'markdown',
  'miniprogram_notice',
  'template_card',
]);
const mediaMsgtypes = new Set(['image', 'voice', 'video', 'file']);
/** The error each upload type answers when the file is too large (reference A.2's media errcodes). */
const sizeErrcodes: Readonly<Record<string, number>> = { image: 40009, voice: 40006, video: 40011, file: 40006 };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every(item => typeof item === 'string') ? (value as string[]) : undefined;

function userRecord(world: FakeWecomWorld, user: FakeWecomUser, baseUrl: string): JsonRecord {
  const department = user.department ?? [1];
  return {
    userid: user.userid,
    name: user.name,
    department,
    main_department: department[0],
    position: user.position ?? '',
    status: 1,
    ...(world.restrictedProfiles
      ? {}
      : {
          gender: user.gender ?? '0',
          avatar: `${baseUrl}/avatar/${encodeURIComponent(user.userid)}`,
          thumb_avatar: `${baseUrl}/avatar/${encodeURIComponent(user.userid)}?thumb=1`,
        }),
  };
}

function descendants(world: FakeWecomWorld, id: number): number[] {
  const children = [...world.departments.values()].filter(department => department.parentid === id);
  return [id, ...children.flatMap(child => descendants(world, child.id))];
}

/** Checks a message body's msgtype and content; undefined when WeCom would take it. */
function invalidContent(world: FakeWecomWorld, body: JsonRecord): FakeAnswer | undefined {
  const msgtype = text(body.msgtype) ?? '';
  if (!msgtypes.has(msgtype)) return wecomFailure(40008, `invalid message type: ${msgtype}`);
  const content = body[msgtype];
  if (typeof content !== 'object' || content === null) return wecomFailure(40008, `missing ${msgtype} content`);
  const fields = content as JsonRecord;
  if (msgtype === 'text' || msgtype === 'markdown') {
    const value = text(fields.content) ?? '';
    if (value === '') return wecomFailure(44004, 'empty content');
    if (Buffer.byteLength(value) > 2048) return wecomFailure(45002, 'content size out of limit');
  }
  if (mediaMsgtypes.has(msgtype)) {
    const found = world.findMedia(text(fields.media_id) ?? '');
    // "The media type must fit the message" (40007): an image message needs image media, and so on.
    if (!found || (msgtype !== 'file' && found.type !== msgtype)) return wecomFailure(40007, 'invalid media_id');
  }
  if (msgtype === 'news') {
    const articles = fields.articles;
    const valid =
      Array.isArray(articles) &&
      articles.length >= 1 &&
      articles.length <= 8 &&
      articles.every(
        article =>
          typeof article === 'object' &&
          article !== null &&
          text((article as JsonRecord).title) &&
          text((article as JsonRecord).url),
      );
    if (!valid) return wecomFailure(40035, 'invalid news articles: 1 to 8, each with title and url');
  }
  if (msgtype === 'textcard' && !(text(fields.title) && text(fields.description) && text(fields.url))) {
    return wecomFailure(40035, 'textcard needs title, description and url');
  }
  return undefined;
}

const contentOf = (body: JsonRecord): JsonRecord => body[text(body.msgtype) ?? ''] as JsonRecord;

const routes: Readonly<Record<string, { readonly method: 'GET' | 'POST'; readonly handle: Handler }>> = {
  'message/send': {
    method: 'POST',
    handle: (world, { json: body }) => {
      if (!body) return wecomFailure(47001, 'data format error');
      if (typeof body.agentid !== 'number') return wecomFailure(40056, 'invalid agentid');
      if (body.agentid !== world.agentId) return wecomFailure(301002, 'not allow to operate another agent with this accesstoken');
      const invalid = invalidContent(world, body);
      if (invalid) return invalid;
      const touser = text(body.touser) ?? '';
      const toparty = text(body.toparty) ?? '';
      const totag = text(body.totag) ?? '';
      const users = touser === '' ? [] : touser.split('|');
      const parties = toparty === '' || touser === '@all' ? [] : toparty.split('|');
      const invalidUsers = users.filter(user => user !== '@all' && !world.findUser(user)).map(user => user.toLowerCase());
      const invalidParties = parties.filter(party => !world.departments.has(Number(party)));
      const reached = users.length - invalidUsers.length + parties.length - invalidParties.length;
      // Some invalid recipients: sent to the rest. All invalid: 81013 (reference A.2).
      if (reached === 0) return wecomFailure(81013, 'user & party & tag all invalid');
      const entry = world.record({
        api: 'message/send',
        withMsgid: true,
        ...(touser ? { touser } : {}),
        ...(toparty ? { toparty } : {}),
        ...(totag ? { totag } : {}),
        agentid: body.agentid,
        msgtype: text(body.msgtype) ?? '',
        content: contentOf(body),
        safe: typeof body.safe === 'number' ? body.safe : 0,
      });
      return ok({
        ...(invalidUsers.length > 0 ? { invaliduser: invalidUsers.join('|') } : {}),
        ...(invalidParties.length > 0 ? { invalidparty: invalidParties.join('|') } : {}),
        msgid: entry.msgid,
      });
    },
  },
  'appchat/send': {
    method: 'POST',
    handle: (world, { json: body }) => {
      if (!body) return wecomFailure(47001, 'data format error');
      const chatid = text(body.chatid) ?? '';
      if (!world.appchats.has(chatid)) return wecomFailure(86001, 'chatid invalid');
      const invalid = invalidContent(world, body);
      if (invalid) return invalid;
      world.record({
        api: 'appchat/send',
        withMsgid: false,
        chatid,
        msgtype: text(body.msgtype) ?? '',
        content: contentOf(body),
        safe: typeof body.safe === 'number' ? body.safe : 0,
      });
      return ok();
    },
  },
  'message/recall': {
    method: 'POST',
    handle: (world, { json: body }) => {
      const msgid = text(body?.msgid) ?? '';
      const index = world.sent.findIndex(entry => entry.msgid === msgid);
      const entry = world.sent[index];
      if (!entry || entry.recalled) return wecomFailure(40035, 'invalid msgid');
      // Messages older than 24 hours cannot be recalled (reference A.2).
      if (world.now() - entry.at > 24 * 3600_000) return wecomFailure(40035, 'msg can not recall after 24 hours');
      world.sent[index] = { ...entry, recalled: true };
      return ok();
    },
  },
  'media/upload': {
    method: 'POST',
    handle: (world, { query, upload }) => {
      const type = query.get('type') ?? '';
      if (!['image', 'voice', 'video', 'file'].includes(type)) return wecomFailure(40004, 'invalid media type');
      if (!upload || upload.data.byteLength === 0) return wecomFailure(44001, 'empty media data');
      if (upload.data.byteLength <= 5) return wecomFailure(40006, 'invalid file size');
      const limit = wecomMediaLimits[type as keyof typeof wecomMediaLimits];
      if (upload.data.byteLength > limit) return wecomFailure(sizeErrcodes[type] ?? 40006, 'invalid file size');
      if (!mediaFormatAccepted(type, upload.data)) return wecomFailure(40005, 'invalid file type');
      const stored = world.storeMedia({ type, ...upload });
      return json({
        errcode: 0,
        errmsg: '',
        type,
        media_id: stored.mediaId,
        created_at: String(Math.floor(stored.createdAt / 1000)),
      });
    },
  },
  'media/get': {
    method: 'GET',
    handle: (world, { query }) => {
      const found = world.findMedia(query.get('media_id') ?? '');
      return found ? { kind: 'file', media: found } : wecomFailure(40007, 'invalid media_id');
    },
  },
  'user/get': {
    method: 'GET',
    handle: (world, { query, baseUrl }) => {
      const user = world.findUser(query.get('userid') ?? '');
      return user ? ok(userRecord(world, user, baseUrl)) : wecomFailure(60111, 'userid not found');
    },
  },
  'user/list': {
    method: 'GET',
    handle: (world, request) => usersOf(world, request, user => userRecord(world, user, request.baseUrl)),
  },
  'user/simplelist': {
    method: 'GET',
    handle: (world, request) =>
      usersOf(world, request, user => ({ userid: user.userid, name: user.name, department: user.department ?? [1] })),
  },
  'department/list': {
    method: 'GET',
    handle: (world, { query }) => {
      const id = query.get('id');
      if (id !== null && !world.departments.has(Number(id))) return wecomFailure(60123, 'invalid party id');
      const ids = id === null ? [...world.departments.keys()] : descendants(world, Number(id));
      return ok({
        department: ids.map(each => {
          const department = world.departments.get(each);
          return { id: each, name: department?.name, parentid: department?.parentid, order: 0, department_leader: [] };
        }),
      });
    },
  },
  'externalcontact/get': {
    method: 'GET',
    handle: (world, { query, baseUrl }) => {
      const id = query.get('external_userid') ?? '';
      const contact = world.externalContacts.get(id);
      if (!contact) return wecomFailure(84061, 'not external contact');
      const [follower] = world.users.values();
      return ok({
        external_contact: {
          external_userid: contact.external_userid,
          name: contact.name,
          type: contact.type ?? 1,
          gender: contact.gender ?? 0,
          avatar: `${baseUrl}/avatar/${encodeURIComponent(contact.external_userid)}`,
        },
        follow_user: follower ? [{ userid: follower.userid, remark: '', createtime: Math.floor(world.now() / 1000) }] : [],
      });
    },
  },
  'agent/get': {
    method: 'GET',
    handle: (world, { query, baseUrl }) => {
      if (query.get('agentid') !== String(world.agentId)) return wecomFailure(40056, 'invalid agentid');
      return ok({
        agentid: world.agentId,
        name: world.agentName,
        square_logo_url: `${baseUrl}/avatar/agent-${world.agentId}`,
        description: 'A fake WeCom app',
        allow_userinfos: { user: [...world.users.values()].map(user => ({ userid: user.userid })) },
        allow_partys: { partyid: [1] },
        allow_tags: { tagid: [] },
        close: 0,
        redirect_domain: '',
        report_location_flag: 0,
        isreportenter: 0,
        home_url: '',
      });
    },
  },
  'appchat/create': {
    method: 'POST',
    handle: (world, { json: body }) => {
      const userlist = strings(body?.userlist);
      // 2 to 2000 members; chatid ≤ 32 characters of [0-9a-zA-Z] (doc 90245).
      if (!userlist || userlist.length < 2 || userlist.length > 2000)
        return wecomFailure(40035, 'userlist must hold 2 to 2000 members');
      if (userlist.some(user => !world.findUser(user))) return wecomFailure(40031, 'invalid userid list');
      const owner = text(body?.owner) ?? userlist[0] ?? '';
      if (!userlist.includes(owner)) return wecomFailure(40035, 'owner must be in userlist');
      const chatid = text(body?.chatid) ?? world.newChatid();
      if (!/^[0-9a-zA-Z]{1,32}$/.test(chatid) || world.appchats.has(chatid)) return wecomFailure(40035, 'invalid chatid');
      world.appchats.set(chatid, { chatid, name: text(body?.name) ?? '', owner, userlist });
      return ok({ chatid });
    },
  },
  'appchat/get': {
    method: 'GET',
    handle: (world, { query }) => {
      const chat = world.appchats.get(query.get('chatid') ?? '');
      if (!chat) return wecomFailure(86001, 'chatid invalid');
      return ok({
        chat_info: { chatid: chat.chatid, name: chat.name, owner: chat.owner, userlist: chat.userlist, chat_type: 0 },
      });
    },
  },
  'appchat/update': {
    method: 'POST',
    handle: (world, { json: body }) => {
      const chat = world.appchats.get(text(body?.chatid) ?? '');
      if (!chat) return wecomFailure(86001, 'chatid invalid');
      const added = strings(body?.add_user_list) ?? [];
      const removed = new Set(strings(body?.del_user_list) ?? []);
      if (added.some(user => !world.findUser(user))) return wecomFailure(40031, 'invalid userid list');
      const userlist = [...new Set([...chat.userlist, ...added])].filter(user => !removed.has(user));
      const owner = text(body?.owner) ?? chat.owner;
      if (!userlist.includes(owner)) return wecomFailure(40035, 'owner must be in userlist');
      world.appchats.set(chat.chatid, { ...chat, name: text(body?.name) ?? chat.name, owner, userlist });
      return ok();
    },
  },
};

function usersOf(world: FakeWecomWorld, { query }: FakeRequest, toRecord: (user: FakeWecomUser) => JsonRecord): FakeAnswer {
  const id = Number(query.get('department_id'));
  if (!world.departments.has(id)) return wecomFailure(60123, 'invalid party id');
  const wanted = new Set(query.get('fetch_child') === '1' ? descendants(world, id) : [id]);
  const members = [...world.users.values()].filter(user => (user.department ?? [1]).some(department => wanted.has(department)));
  return ok({ userlist: members.map(toRecord) });
}

/** Answers one API call: the token check first (except for `gettoken`), then the endpoint. */
export function answerFakeRequest(world: FakeWecomWorld, request: FakeRequest): FakeAnswer {
  if (request.path === 'gettoken') {
    const corpid = request.query.get('corpid');
    const corpsecret = request.query.get('corpsecret');
    if (!corpid) return wecomFailure(41002, 'corpid missing');
    if (!corpsecret) return wecomFailure(41004, 'corpsecret missing');
    if (corpid !== world.corpId) return wecomFailure(40013, 'invalid corpid');
    if (corpsecret !== world.secret) return wecomFailure(40001, 'invalid credential');
    const { token, expiresIn } = world.issueToken();
    return ok({ access_token: token, expires_in: expiresIn });
  }
  const route = routes[request.path];
  if (!route) return { kind: 'status', status: 404, body: 'Not Found' };
  if (route.method !== request.method) return wecomFailure(43004, `this API requires ${route.method}`);
  const tokenCode = world.checkToken(request.query.get('access_token') ?? undefined);
  if (tokenCode !== 0) return wecomFailure(tokenCode, tokenMessages[tokenCode] ?? 'invalid access_token');
  return route.handle(world, request);
}

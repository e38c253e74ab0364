import { type ContactId, contactId } from '@wechat/provider-api';
import { at, elements, textAt } from './xml.ts';

interface TemplateMember {
  readonly username: string;
  readonly nickname?: string;
}

interface TemplateLink {
  readonly members: readonly TemplateMember[];
  /** What a link without members shows (`link_plain`, or a "revoke" action's title). */
  readonly text?: string;
  readonly separator: string;
}

/** `<sysmsg type="sysmsgtemplate">`: a template with `$name$` placeholders, filled from a list of links. */
export interface SysmsgTemplate {
  readonly template: string;
  readonly links: ReadonlyMap<string, TemplateLink>;
}

export function readSysmsgTemplate(sysmsg: unknown): SysmsgTemplate | undefined {
  const content = at(sysmsg, 'sysmsgtemplate', 'content_template');
  const template = textAt(content, 'template');
  if (template === undefined) return undefined;
  const links = new Map<string, TemplateLink>();
  for (const link of elements(at(content, 'link_list', 'link'))) {
    const name = attrName(link);
    if (name === undefined) continue;
    const members = elements(at(link, 'memberlist', 'member')).flatMap(member => {
      const username = textAt(member, 'username');
      const nickname = textAt(member, 'nickname');
      return username === undefined ? [] : [nickname === undefined ? { username } : { username, nickname }];
    });
    const text = textAt(link, 'plain') ?? textAt(link, 'title');
    links.set(name, { members, separator: textAt(link, 'separator') ?? '、', ...(text === undefined ? {} : { text }) });
  }
  return { template, links };
}

function attrName(link: unknown): string | undefined {
  const value = at(link, '@_name');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const placeholder = /\$([A-Za-z0-9_]+)\$/g;

/** The template as WeChat shows it, with members by nickname. */
export function renderSysmsgTemplate({ template, links }: SysmsgTemplate): string {
  return template
    .replaceAll(placeholder, (_match, name: string) => {
      const link = links.get(name);
      if (link === undefined) return '';
      if (link.members.length === 0) return link.text ?? '';
      return link.members.map(member => member.nickname ?? member.username).join(link.separator);
    })
    .trim();
}

export type MembershipChange =
  | { readonly type: 'joined'; readonly contactIds: ContactId[]; readonly inviterId?: ContactId }
  | { readonly type: 'left'; readonly contactIds: ContactId[]; readonly removerId?: ContactId };

/** Links naming who joined or was removed, and links naming who did it (inviter, remover, QR code sharer). */
const subjectLinks = ['names', 'adder', 'kickoutname'];
const actorLinks = ['username', 'from', 'inviter'];

/**
 * Who joined or left, from the join, kick and quit templates (reference B.6), for example
 * `"$username$"邀请"$names$"加入了群聊`, `"$adder$"通过扫描"$from$"分享的二维码加入群聊`,
 * `你将"$kickoutname$"移出了群聊`. "你"/"you" in the text is the account itself. Undefined when the template
 * is not about membership or names nobody (the caller then shows it as text).
 */
export function membershipChange(parsed: SysmsgTemplate, selfWxid: string): MembershipChange | undefined {
  const { template } = parsed;
  const usernames = (names: readonly string[]): string[] =>
    names.flatMap(name => parsed.links.get(name)?.members.map(member => member.username) ?? []);
  const actor = usernames(actorLinks)[0];
  const unique = (ids: readonly string[], without: string | undefined): ContactId[] =>
    [...new Set(ids)].filter(id => id !== without).map(contactId);

  if (/移出|removed/i.test(template)) {
    const selfRemoved = /你被|you were removed/i.test(template);
    const remover = /^[\s"]*(你将|you removed)/i.test(template) ? selfWxid : actor;
    const removed = unique([...(selfRemoved ? [selfWxid] : []), ...usernames(subjectLinks)], remover);
    if (removed.length === 0) return undefined;
    return { type: 'left', contactIds: removed, ...(remover === undefined ? {} : { removerId: contactId(remover) }) };
  }
  if (/退出|left the group|quit/i.test(template)) {
    const left = unique(usernames([...subjectLinks, ...actorLinks]), undefined);
    return left.length === 0 ? undefined : { type: 'left', contactIds: left };
  }
  if (/加入|joined|invited/i.test(template)) {
    const selfJoined = /邀请你|invited you/i.test(template);
    const byYou = /^[\s"]*(你邀请|you invited)|扫描你分享|shared by you/i.test(template);
    const inviter = byYou ? selfWxid : actor;
    const joined = unique([...(selfJoined ? [selfWxid] : []), ...usernames(subjectLinks)], inviter);
    if (joined.length === 0) return undefined;
    return { type: 'joined', contactIds: joined, ...(inviter === undefined ? {} : { inviterId: contactId(inviter) }) };
  }
  return undefined;
}

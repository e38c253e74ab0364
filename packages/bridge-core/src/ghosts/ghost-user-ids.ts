import type { ContactId } from '@wechat/provider-api';
import { usernameTemplatePlaceholder } from '../bridge-config.ts';

/**
 * Escapes any WeChat id into localpart characters, reversibly (the scheme of mautrix's EncodeUserLocalpart):
 * a-z 0-9 . - / stay; `_` becomes `__`; an upper-case letter becomes `_` + its lower case; every other byte
 * of the UTF-8 encoding becomes `=xx`. WeChat ids such as `wxid_Abc` or `Alice-88` keep readable localparts.
 */
export function escapeLocalpart(id: string): string {
  let escaped = '';
  for (const byte of new TextEncoder().encode(id)) {
    const character = String.fromCharCode(byte);
    if (/[a-z0-9.\-/]/.test(character)) escaped += character;
    else if (character === '_') escaped += '__';
    else if (/[A-Z]/.test(character)) escaped += `_${character.toLowerCase()}`;
    else escaped += `=${byte.toString(16).padStart(2, '0')}`;
  }
  return escaped;
}

/** The inverse of `escapeLocalpart`; undefined for text it cannot have produced. */
export function unescapeLocalpart(escaped: string): string | undefined {
  const bytes: number[] = [];
  for (let index = 0; index < escaped.length; index++) {
    const character = escaped[index] as string;
    if (character === '_') {
      const next = escaped[index + 1];
      if (next === '_') bytes.push(0x5f);
      else if (next !== undefined && /[a-z]/.test(next)) bytes.push(next.toUpperCase().charCodeAt(0));
      else return undefined;
      index++;
    } else if (character === '=') {
      const hex = escaped.slice(index + 1, index + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else if (/[a-z0-9.\-/]/.test(character)) bytes.push(character.charCodeAt(0));
    else return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** Maps WeChat contacts to ghost user ids and back, for one `bridge.username_template` and server name. */
export interface GhostUserIds {
  userIdFor(contactId: ContactId): string;
  /** The WeChat contact behind a ghost user id, or undefined when the id is not one of our ghosts. */
  contactIdOf(userId: string): ContactId | undefined;
  isGhost(userId: string): boolean;
}

export function createGhostUserIds({
  usernameTemplate,
  serverName,
}: {
  usernameTemplate: string;
  serverName: string;
}): GhostUserIds {
  const [prefix = '', suffix = ''] = usernameTemplate.split(usernameTemplatePlaceholder);
  const domainSuffix = `:${serverName}`;
  const contactIdOf = (userId: string): ContactId | undefined => {
    if (!userId.startsWith(`@${prefix}`) || !userId.endsWith(`${suffix}${domainSuffix}`)) return undefined;
    const escaped = userId.slice(1 + prefix.length, userId.length - suffix.length - domainSuffix.length);
    if (escaped === '') return undefined;
    return unescapeLocalpart(escaped) as ContactId | undefined;
  };
  return {
    userIdFor: contactId => `@${prefix}${escapeLocalpart(contactId)}${suffix}${domainSuffix}`,
    contactIdOf,
    isGhost: userId => contactIdOf(userId) !== undefined,
  };
}

/** Fills `bridge.displayname_template`: `{{.Nickname}}` is the contact's name (remark preferred when set). */
export function renderDisplayName(template: string, contact: { readonly name: string; readonly remark?: string }): string {
  const nickname = contact.remark?.trim() || contact.name.trim() || 'WeChat user';
  return template.replaceAll('{{.Nickname}}', nickname).replaceAll('{{.Name}}', contact.name.trim() || nickname);
}

import type { SessionStorageV1 } from '@wechat/provider-api';
import { storageKeys } from './session-parts.ts';

/** What `/message/revokeMsg` needs besides the id the bridge knows (reference B.3). */
export interface RevokeInfo {
  readonly newMsgId: string;
  readonly msgId: string;
  readonly createTime: number;
  readonly toWxid: string;
}

/**
 * WeChat allows recalling only recent messages (2 minutes), so a bounded list is enough; it lives in session
 * storage so a restart between sending and recalling does not lose it.
 */
export class RecentSends {
  readonly #storage: SessionStorageV1;
  readonly #limit: number;
  #entries: RevokeInfo[] | undefined;

  constructor(storage: SessionStorageV1, limit = 200) {
    this.#storage = storage;
    this.#limit = limit;
  }

  async remember(info: RevokeInfo): Promise<void> {
    const entries = await this.#load();
    if (entries.some(entry => entry.newMsgId === info.newMsgId)) return;
    entries.push(info);
    if (entries.length > this.#limit) entries.splice(0, entries.length - this.#limit);
    await this.#storage.set(storageKeys.recentSends, JSON.stringify(entries));
  }

  async find(newMsgId: string): Promise<RevokeInfo | undefined> {
    return (await this.#load()).find(entry => entry.newMsgId === newMsgId);
  }

  async #load(): Promise<RevokeInfo[]> {
    if (this.#entries) return this.#entries;
    const raw = await this.#storage.get(storageKeys.recentSends);
    let entries: RevokeInfo[] = [];
    try {
      entries = raw === undefined ? [] : (JSON.parse(raw) as RevokeInfo[]);
    } catch {
      entries = [];
    }
    this.#entries = Array.isArray(entries) ? entries : [];
    return this.#entries;
  }
}

import { defineProvider } from '@wechat/provider-api';
import * as v from 'valibot';

/**
 * A provider that exists only for config tests: a real valibot `configSchema`, and a `createSession` that
 * refuses, because validating a config never opens a session.
 */
export const testProvider = defineProvider({
  specificationVersion: 'v1',
  id: 'wecom',
  displayName: 'Config test provider',
  version: '0.0.0',
  configSchema: v.object({
    enabled: v.optional(v.boolean(), false),
    corp_id: v.pipe(v.string(), v.nonEmpty('is required')),
    app_secret: v.pipe(v.string(), v.nonEmpty('is required')),
    agent_id: v.optional(v.pipe(v.number(), v.integer()), 1_000_002),
  }),
  capabilities: {
    login: 'credentials',
    multipleSessions: false,
    send: { text: 'full' },
    receive: { text: 'full' },
    mentions: 'none',
    replies: 'none',
    recall: 'none',
    contacts: { list: 'none', setRemark: 'none' },
    rooms: { list: 'none', create: 'none', invite: 'none', remove: 'none', rename: 'none', setTopic: 'none', leave: 'none' },
    friendRequests: 'none',
    history: 'none',
  },
  createSession() {
    throw new Error('config tests never open a session');
  },
});

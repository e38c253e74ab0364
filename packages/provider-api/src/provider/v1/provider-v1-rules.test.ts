import { describe, expect, it } from 'vitest';
import { echoProvider } from '../../../examples/echo-provider.ts';
import { noopLogger } from '../../logger/logger.ts';
import { createMemorySessionStorage } from '../../session/memory-session-storage.ts';
import { supportLevelOf } from './provider-v1-capabilities.ts';
import { chatKey } from './provider-v1-message.ts';
import { contactId, roomId } from './provider-v1-ids.ts';
import { exposeSessionV1, findCapabilityMismatchesV1, optionalMethodsV1 } from './provider-v1-optional-methods.ts';
import type { ProviderSessionV1 } from './provider-v1-session.ts';
import { isAllowedStateTransitionV1, needsUserActionV1, sessionStatesV1 } from './provider-v1-state.ts';

function echoSession(): ProviderSessionV1 {
  return echoProvider.createSession({
    config: { name: 'E' },
    logger: noopLogger,
    storage: createMemorySessionStorage(),
    emit: () => {},
  });
}

describe('capability ↔ optional method agreement', () => {
  it('finds nothing wrong with a provider whose methods match its flags', () => {
    expect(findCapabilityMismatchesV1(echoProvider.capabilities, echoSession())).toEqual([]);
  });

  it('reports a promised capability whose method is missing', () => {
    const capabilities = { ...echoProvider.capabilities, recall: 'full' as const };
    expect(findCapabilityMismatchesV1(capabilities, echoSession())).toEqual([
      { method: 'recallMessage', capability: 'recall', problem: 'promised-but-missing' },
    ]);
  });

  it('reports a method that no capability promises', () => {
    const session = { ...echoSession(), leaveRoom: async () => {} };
    expect(findCapabilityMismatchesV1(echoProvider.capabilities, session)).toEqual([
      { method: 'leaveRoom', capability: 'rooms.leave', problem: 'present-but-not-promised' },
    ]);
  });

  it('treats interactive login as a promise of login()', () => {
    const capabilities = { ...echoProvider.capabilities, login: 'interactive' as const };
    expect(findCapabilityMismatchesV1(capabilities, echoSession())).toEqual([
      { method: 'login', capability: 'login', problem: 'promised-but-missing' },
    ]);
  });

  it('governs every optional session method, and only those', () => {
    expect(optionalMethodsV1.map(rule => rule.method).sort()).toEqual(
      [
        'acceptFriendRequest',
        'checkHealth',
        'createRoom',
        'fetchHistory',
        'getRoomCapabilities',
        'inviteToRoom',
        'leaveRoom',
        'listContacts',
        'listRooms',
        'login',
        'recallMessage',
        'removeFromRoom',
        'renameRoom',
        'setContactRemark',
        'setRoomTopic',
      ].sort(),
    );
  });
});

describe('session state graph', () => {
  it('lets every state stop', () => {
    for (const state of sessionStatesV1.filter(state => state !== 'stopped')) {
      expect(isAllowedStateTransitionV1(state, 'stopped')).toBe(true);
    }
  });

  it('allows the ordinary paths and refuses impossible jumps', () => {
    expect(isAllowedStateTransitionV1('stopped', 'starting')).toBe(true);
    expect(isAllowedStateTransitionV1('starting', 'awaiting-login')).toBe(true);
    expect(isAllowedStateTransitionV1('awaiting-login', 'connected')).toBe(true);
    expect(isAllowedStateTransitionV1('connected', 'transient-disconnect')).toBe(true);
    expect(isAllowedStateTransitionV1('transient-disconnect', 'connected')).toBe(true);
    expect(isAllowedStateTransitionV1('stopped', 'connected')).toBe(false);
    expect(isAllowedStateTransitionV1('logged-out', 'connected')).toBe(false);
    expect(isAllowedStateTransitionV1('connected', 'starting')).toBe(false);
  });

  it('knows which states wait for the user', () => {
    expect(sessionStatesV1.filter(needsUserActionV1)).toEqual(['awaiting-login', 'bad-credentials', 'logged-out']);
  });
});

describe('helpers', () => {
  it('treats a missing kind as unsupported', () => {
    expect(supportLevelOf({ text: 'full' }, 'text')).toBe('full');
    expect(supportLevelOf({ text: 'full' }, 'voice')).toBe('none');
  });

  it('keys chats without collisions between contacts and rooms', () => {
    expect(chatKey({ type: 'direct', contactId: contactId('x') })).toBe('direct:x');
    expect(chatKey({ type: 'room', roomId: roomId('x') })).toBe('room:x');
  });
});

describe('contract refinements', () => {
  it('does not count a same-state "change" as a transition', () => {
    for (const state of sessionStatesV1) expect(isAllowedStateTransitionV1(state, state)).toBe(false);
  });

  it('lets logout end in logged-out from any state', () => {
    for (const state of sessionStatesV1.filter(state => state !== 'logged-out')) {
      expect(isAllowedStateTransitionV1(state, 'logged-out'), state).toBe(true);
    }
  });
});

describe('exposeSessionV1', () => {
  it('exposes required methods and exactly the optional ones the capabilities promise, bound and live', async () => {
    const calls: string[] = [];
    const implementation = {
      state: 'stopped' as const,
      ...Object.fromEntries(
        [
          ...optionalMethodsV1.map(rule => rule.method),
          'start',
          'stop',
          'logout',
          'getSelf',
          'getContact',
          'getRoom',
          'listRoomMembers',
          'sendMessage',
          'downloadMedia',
        ].map(method => [method, async () => calls.push(method)]),
      ),
    } as unknown as Parameters<typeof exposeSessionV1>[0];
    const capabilities = { ...echoProvider.capabilities, recall: 'full' as const };
    const session = exposeSessionV1(implementation, { providerId: 'echo', capabilities });
    expect(findCapabilityMismatchesV1(capabilities, session)).toEqual([]);
    expect(session.recallMessage).toBeTypeOf('function');
    expect(session.leaveRoom).toBeUndefined();
    expect(session.checkHealth).toBeTypeOf('function');
    await session.start();
    await session.recallMessage?.({ id: 'm' as never, chat: { type: 'direct', contactId: contactId('x') } });
    expect(calls).toEqual(['start', 'recallMessage']);
    expect(session.state).toBe('stopped');
  });
});

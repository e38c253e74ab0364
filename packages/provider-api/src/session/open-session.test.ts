import { describe, expect, it } from 'vitest';
import { echoProvider } from '../../examples/echo-provider.ts';
import { WechatConfigValidationError } from '../errors/wechat-errors.ts';
import type { LogFields, Logger } from '../logger/logger.ts';
import { contactId } from '../provider/v1/provider-v1-ids.ts';
import type { ProviderEventV1 } from '../provider/v1/provider-v1-event.ts';
import { createProviderEventHub } from './event-hub.ts';
import { openSession } from './open-session.ts';

function recordingLogger(entries: { level: string; fields: LogFields; message: string }[], bindings: LogFields = {}): Logger {
  const log = (level: string) => (fields: LogFields, message: string) =>
    entries.push({ level, fields: { ...bindings, ...fields }, message });
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: more => recordingLogger(entries, { ...bindings, ...more }),
  };
}

const heartbeat = (at: number): ProviderEventV1 => ({ type: 'heartbeat', at });

describe('openSession', () => {
  it('validates the config with the provider schema and names the path', () => {
    expect(() => openSession(echoProvider, { config: { name: '' } })).toThrow(WechatConfigValidationError);
    expect(() => openSession(echoProvider, { config: { name: 42 } })).toThrow(/providers\.echo\.name: Invalid type/);
    expect(() => openSession(echoProvider, { config: { name: 42 }, configPath: 'bots[0].echo' })).toThrow(
      /bots\[0\]\.echo\.name/,
    );
  });

  it('runs a bot: subscribe, start, send, receive', async () => {
    const session = openSession(echoProvider, { config: {} });
    const states: string[] = [];
    session.on('state-changed', event => {
      states.push(event.state);
    });
    const received = new Promise<string>(resolve =>
      session.on('message-received', ({ message }) => {
        if (!message.isSelf && message.content.kind === 'text') resolve(message.content.text);
      }),
    );
    await session.start();
    expect(session.state).toBe('connected');
    expect(states).toEqual(['starting', 'connected']);
    expect((await session.getSelf()).name).toBe('Echo');
    const result = await session.sendMessage({
      to: { type: 'direct', contactId: contactId('echo-peer') },
      content: { kind: 'text', text: 'ding' },
    });
    expect(result.messageId).toBe('echo-1');
    expect(await received).toBe('ding');
    await session.stop();
    expect(session.state).toBe('stopped');
  });

  it('exposes optional methods exactly when the session has them, bound to the session', async () => {
    const session = openSession(echoProvider, { config: {} });
    expect('recallMessage' in session).toBe(false);
    expect('login' in session).toBe(false);
    const { start, getSelf } = session;
    await start();
    expect((await getSelf()).id).toBe('echo-self');
    expect(session.session.providerId).toBe('echo');
  });

  it('binds the logger to the provider id', async () => {
    const entries: { level: string; fields: LogFields; message: string }[] = [];
    const session = openSession(echoProvider, { config: {}, logger: recordingLogger(entries) });
    await session.start();
    expect(entries).toContainEqual({ level: 'info', fields: { provider: 'echo' }, message: 'echo session connected' });
  });

  it('iterates events in order and stops when the loop breaks', async () => {
    const session = openSession(echoProvider, { config: {} });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const event of session.events()) {
        seen.push(event.type === 'state-changed' ? `state:${event.state}` : event.type);
        if (seen.length === 4) break;
      }
    })();
    await session.start();
    await session.sendMessage({
      to: { type: 'direct', contactId: contactId('echo-peer') },
      content: { kind: 'text', text: 'x' },
    });
    await loop;
    expect(seen).toEqual(['state:starting', 'state:connected', 'message-received', 'message-received']);
  });
});

describe('createProviderEventHub', () => {
  it('delivers to typed and wildcard listeners and unsubscribes', () => {
    const hub = createProviderEventHub(recordingLogger([]));
    const typed: number[] = [];
    const all: string[] = [];
    const off = hub.on('heartbeat', event => {
      typed.push(event.at);
    });
    hub.on('*', event => {
      all.push(event.type);
    });
    hub.emit(heartbeat(1));
    off();
    hub.emit(heartbeat(2));
    hub.emit({ type: 'contact-updated', contactId: contactId('a') });
    expect(typed).toEqual([1]);
    expect(all).toEqual(['heartbeat', 'heartbeat', 'contact-updated']);
  });

  it('keeps delivering when a listener throws or rejects, and logs the failure', async () => {
    const entries: { level: string; fields: LogFields; message: string }[] = [];
    const hub = createProviderEventHub(recordingLogger(entries));
    const delivered: number[] = [];
    hub.on('heartbeat', () => {
      throw new Error('sync failure');
    });
    hub.on('heartbeat', async () => {
      throw new Error('async failure');
    });
    hub.on('heartbeat', event => {
      delivered.push(event.at);
    });
    expect(() => hub.emit(heartbeat(7))).not.toThrow();
    await new Promise(resolve => setImmediate(resolve));
    expect(delivered).toEqual([7]);
    expect(entries.filter(entry => entry.level === 'error').map(entry => (entry.fields.error as Error).message)).toEqual([
      'sync failure',
      'async failure',
    ]);
  });

  it('buffers events for a slow iterator without losing any', async () => {
    const hub = createProviderEventHub(recordingLogger([]));
    const iterator = hub.events();
    for (let at = 0; at < 100; at++) hub.emit(heartbeat(at));
    const received: number[] = [];
    for await (const event of iterator) {
      if (event.type === 'heartbeat') received.push(event.at);
      if (received.length === 100) break;
    }
    expect(received).toEqual(Array.from({ length: 100 }, (_, index) => index));
  });

  it('ends an iterator when its signal aborts, also while it waits', async () => {
    const hub = createProviderEventHub(recordingLogger([]));
    const controller = new AbortController();
    const iterator = hub.events({ signal: controller.signal });
    const pending = iterator.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    hub.emit(heartbeat(1));
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    const already = hub.events({ signal: AbortSignal.abort() });
    expect(await already.next()).toEqual({ value: undefined, done: true });
  });
});

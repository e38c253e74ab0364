// What the event hub costs on the per-message path, against calling a listener directly (the baseline).
// vitest prints each case's ops/s and how many times faster the fastest case is than the others.
import { contactId, createProviderEventHub, messageId, noopLogger, type ProviderEventV1 } from '@wechat/provider-api';
import { bench, describe } from 'vitest';

const event: ProviderEventV1 = {
  type: 'message-received',
  message: {
    id: messageId('3617029648233522301'),
    chat: { type: 'direct', contactId: contactId('wxid_alice') },
    senderId: contactId('wxid_alice'),
    isSelf: false,
    timestamp: 1_700_000_000_000,
    content: { kind: 'text', text: 'hello' },
  },
};

describe('deliver one message-received event to three listeners', () => {
  // Counting keeps the calls observable, so they cannot be optimised away.
  let received = 0;
  const listener = (_event: ProviderEventV1) => {
    received++;
  };
  const options = { time: 1000 };

  bench(
    'baseline: three direct calls',
    () => {
      listener(event);
      listener(event);
      listener(event);
    },
    options,
  );

  const hub = createProviderEventHub(noopLogger);
  hub.on('message-received', listener);
  hub.on('message-received', listener);
  hub.on('*', listener);
  bench(
    'createProviderEventHub().emit',
    () => {
      hub.emit(event);
    },
    options,
  );

  const buffered = createProviderEventHub(noopLogger);
  const iterator = buffered.events();
  bench(
    'emit + events() iterator next()',
    async () => {
      buffered.emit(event);
      await iterator.next();
      if (received < 0) throw new Error('unreachable');
    },
    options,
  );
});

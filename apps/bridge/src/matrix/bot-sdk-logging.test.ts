import { LogLevel, LogService } from 'matrix-bot-sdk';
import { describe, expect, it } from 'vitest';
import { routeBotSdkLogs } from './bot-sdk-logging.ts';
import { createRecordingLogger } from './testing/recording-logger.ts';

describe('routeBotSdkLogs', () => {
  it('forwards bot-sdk lines to our logger with the module as a field', () => {
    const logger = createRecordingLogger();
    routeBotSdkLogs(logger);
    const failure = new Error('socket hang up');
    LogService.info('MatrixClientLite', 'Syncing', 3, 'rooms');
    LogService.error('MatrixClientLite', 'Sync failed:', failure, { attempt: 2 });
    expect(logger.entries).toEqual([
      { level: 'info', message: 'Syncing 3 rooms', fields: { component: 'matrix-bot-sdk', module: 'MatrixClientLite' } },
      {
        level: 'error',
        message: 'Sync failed:',
        fields: { component: 'matrix-bot-sdk', module: 'MatrixClientLite', err: failure, data: { attempt: 2 } },
      },
    ]);
  });

  it('demotes errors about calls the port wraps and reports itself', () => {
    const logger = createRecordingLogger();
    routeBotSdkLogs(logger);
    LogService.error('MatrixHttpClient', '(REQ-1)', { errcode: 'M_FORBIDDEN' });
    LogService.error('Appservice', 'Error registering user: User ID is in use');
    LogService.warn('Intent', 'Storage already configured');
    expect(logger.entries.map(entry => entry.level)).toEqual(['debug', 'debug', 'debug']);
  });

  it('caps bot-sdk at debug, so it never serialises request bodies for trace', () => {
    routeBotSdkLogs(createRecordingLogger());
    expect(LogService.level.includes(LogLevel.DEBUG)).toBe(true);
    expect(LogService.level.includes(LogLevel.TRACE)).toBe(false);
  });
});

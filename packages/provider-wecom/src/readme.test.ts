import { readFileSync } from 'node:fs';
import { messageKindsV1, outgoingMessageKindsV1 } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { wecomErrcodes } from './api/wecom-errcodes.ts';
import { wecomCapabilities } from './wecom-capabilities.ts';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');
const readme = read('../README.md');

/** The README's table rows as [first cell, second cell]. */
const rows = readme
  .split('\n')
  .filter(line => line.startsWith('|'))
  .map(line => line.split('|').map(cell => cell.trim()))
  .map(cells => [cells[1] ?? '', cells[2] ?? ''] as const);

/** Every capability as `path → value`, send and receive listing every kind (a missing one is `none`). */
function capabilityPaths(): [string, string][] {
  const { send, receive, contacts, rooms, limits: _limits, ...flat } = wecomCapabilities;
  return [
    ...Object.entries(flat).map(([key, value]): [string, string] => [key, String(value)]),
    ...outgoingMessageKindsV1.map((kind): [string, string] => [`send.${kind}`, send[kind] ?? 'none']),
    ...messageKindsV1.map((kind): [string, string] => [`receive.${kind}`, receive[kind] ?? 'none']),
    ...Object.entries(contacts).map(([key, value]): [string, string] => [`contacts.${key}`, value]),
    ...Object.entries(rooms).map(([key, value]): [string, string] => [`rooms.${key}`, value]),
  ].filter(([path]) => path !== 'send.system');
}

describe('README', () => {
  it('shows src/testing/readme-bot.test.ts exactly as it is tested', () => {
    const block = /<!-- example:readme-bot\.test -->\n```ts\n([\s\S]*?)```\n<!-- \/example:readme-bot\.test -->/.exec(readme);
    expect(block?.[1]).toBe(read('./testing/readme-bot.test.ts'));
  });

  it.each(capabilityPaths())('documents %s as %s', (path, level) => {
    const row = rows.find(([names]) =>
      names
        .split(',')
        .map(name => name.trim())
        .includes(`\`${path}\``),
    );
    expect(row, path).toBeDefined();
    expect(row?.[1]).toBe(`\`${level}\``);
  });

  it('documents the largest upload', () => {
    expect(wecomCapabilities.limits?.maxFileBytes).toBe(20 * 1024 * 1024);
    expect(rows.find(([name]) => name === '`limits.maxFileBytes`')?.[1]).toBe('20 MiB');
  });

  it('documents every errcode of the table', () => {
    const errorTable = readme.slice(readme.indexOf('| errcode'), readme.indexOf('The table is'));
    for (const errcode of wecomErrcodes.keys())
      expect(errorTable, String(errcode)).toMatch(new RegExp(`(^|[ |,])${errcode}([ ,(]|$)`, 'm'));
  });
});

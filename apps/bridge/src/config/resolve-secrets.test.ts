import { WechatConfigValidationError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from './app-config-schema.ts';
import { describeConfigKeys } from './config-key-tree.ts';
import { resolveSecrets, type SecretSources } from './resolve-secrets.ts';

const keys = describeConfigKeys(appConfigSchema);

function sources(files: Record<string, string>, env: Record<string, string> = {}): SecretSources & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    env,
    readFile: async path => {
      read.push(path);
      const contents = files[path];
      if (contents === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return contents;
    },
  };
}

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!WechatConfigValidationError.isInstance(error)) throw new Error(`expected a config validation error, got ${String(error)}`);
  return error.issues;
}

describe('resolveSecrets', () => {
  it('reads <key>_file into the key, trimmed, and removes the _file key', async () => {
    const document = { appservice: { as_token_file: '/run/secrets/as_token', hs_token: 'inline' } };
    const resolved = await resolveSecrets(document, keys, sources({ '/run/secrets/as_token': '  as-from-file\n' }));
    expect(resolved).toEqual({ appservice: { as_token: 'as-from-file', hs_token: 'inline' } });
    expect(document.appservice).toHaveProperty('as_token_file');
  });

  it('lets the file win over an inline value, and the environment over both', async () => {
    const document = {
      appservice: { as_token: 'inline-as', as_token_file: '/s/as', hs_token: 'inline-hs', hs_token_file: '/s/hs' },
    };
    const io = sources({ '/s/as': 'file-as', '/s/hs': 'file-hs' }, { WECHAT_BRIDGE_APPSERVICE_HS_TOKEN: 'env-hs' });
    const resolved = await resolveSecrets(document, keys, io);
    expect(resolved).toEqual({ appservice: { as_token: 'file-as', hs_token: 'env-hs' } });
    // The environment wins without the file being read: it may exist only where the variable is not set.
    expect(io.read).toEqual(['/s/as']);
  });

  it('creates the sections an environment variable needs', async () => {
    const resolved = await resolveSecrets(null, keys, sources({}, { WECHAT_BRIDGE_APPSERVICE_AS_TOKEN: 'env-as' }));
    expect(resolved).toEqual({ appservice: { as_token: 'env-as' } });
  });

  it('resolves secrets inside provider sections, whose keys it cannot know', async () => {
    const document = { providers: { wecom: { corp_id: 'ww1', app_secret_file: '/s/wecom', callback: { token_file: '/s/cb' } } } };
    const resolved = await resolveSecrets(document, keys, sources({ '/s/wecom': 'app-secret', '/s/cb': 'cb-token' }));
    expect(resolved).toEqual({
      providers: { wecom: { corp_id: 'ww1', app_secret: 'app-secret', callback: { token: 'cb-token' } } },
    });
  });

  it('reports every unusable secret at once, with its key and without its value', async () => {
    const document = {
      homeserver: { address_file: '/missing' },
      appservice: { as_token_file: '/empty', hs_token_file: 42, port_file: '/s/port', as_tokn_file: '/s/x' },
    };
    const issues = await issuesOf(
      resolveSecrets(
        document,
        keys,
        sources({ '/empty': ' \n', '/s/port': '1', '/s/x': 'x' }, { WECHAT_BRIDGE_NOPE: 'value-9' }),
      ),
    );
    expect(issues).toEqual([
      { path: '$WECHAT_BRIDGE_NOPE', message: 'does not name a config setting' },
      { path: 'homeserver.address_file', message: "cannot read /missing: ENOENT: no such file or directory, open '/missing'" },
      { path: 'appservice.as_token_file', message: '/empty is empty' },
      { path: 'appservice.hs_token_file', message: 'must be the path of the file that holds the value' },
      { path: 'appservice.port_file', message: "there is no text setting 'port' here to read from a file" },
      { path: 'appservice.as_tokn_file', message: "there is no text setting 'as_tokn' here to read from a file" },
    ]);
    expect(JSON.stringify(issues)).not.toContain('value-9');
  });

  it('reports a variable that would have to replace a value that is not a mapping', async () => {
    const issues = await issuesOf(
      resolveSecrets({ appservice: 'oops' }, keys, sources({}, { WECHAT_BRIDGE_APPSERVICE_AS_TOKEN: 'x' })),
    );
    expect(issues).toEqual([
      { path: '$WECHAT_BRIDGE_APPSERVICE_AS_TOKEN', message: 'cannot set appservice.as_token: appservice is not a mapping' },
    ]);
  });

  it('leaves a document that is not a mapping to validation', async () => {
    expect(await resolveSecrets(['a'], keys, sources({}))).toEqual(['a']);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error.ts';
import { parseConfigYaml } from './parse-config-yaml.ts';

function problemsOf(text: string): readonly string[] {
  try {
    parseConfigYaml(text, 'config.yaml');
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigFileError');
}

describe('parseConfigYaml', () => {
  it('returns plain data, YAML 1.2 style', () => {
    expect(parseConfigYaml('appservice:\n  port: 29350\n  id: "wechat"\nflag: yes\n', 'config.yaml')).toEqual({
      appservice: { port: 29350, id: 'wechat' },
      flag: 'yes',
    });
    expect(parseConfigYaml('', 'config.yaml')).toBeNull();
  });

  it('names the file, line and column of a syntax error', () => {
    expect(problemsOf('homeserver:\n  address: https://matrix.example.org\n domain: example.org\n')).toEqual([
      'config.yaml:3:1: All mapping items must start at the same column',
    ]);
    expect(problemsOf('bridge:\n  media:\n\tmax_file_size: 1\n')).toEqual([
      'config.yaml:3:1: Tabs are not allowed as indentation',
    ]);
    expect(problemsOf('homeserver:\n  domain: a: b\n')).toEqual([
      'config.yaml:2:11: Nested mappings are not allowed in compact mappings',
    ]);
  });

  it('lists every error, duplicate keys included', () => {
    expect(problemsOf('metrics:\n  enabled: true\n  enabled: false\nlogging: [a\n')).toEqual([
      'config.yaml:3:3: Map keys must be unique',
      expect.stringMatching(/^config\.yaml:5:1: Flow sequence in block collection must be sufficiently indented/),
    ]);
  });

  it('names the file for problems found after parsing', () => {
    expect(problemsOf('a: *missing\n')).toEqual([
      'config.yaml: Unresolved alias (the anchor must be set before the alias): missing',
    ]);
  });
});

import { LineCounter, parseDocument } from 'yaml';
import { ConfigFileError } from './config-file-error.ts';

/**
 * Parses the text of a config file. Every syntax error is reported as `file:line:column: message`, the form
 * editors and terminals turn into links. YAML 1.2 core schema: `yes`/`no` stay strings, so validation catches them.
 */
export function parseConfigYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigFileError(
      file,
      document.errors.map(error => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${file}:${line}:${col}: ${error.message}`;
      }),
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // Only semantic problems are left at this point, such as an alias to an anchor that does not exist.
    throw new ConfigFileError(file, [`${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

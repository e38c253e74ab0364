/** The config file cannot be read or is not well-formed YAML. Each problem names the file (and line, column). */
export class ConfigFileError extends Error {
  readonly file: string;
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** Output channels of a CLI command: stdout carries the result (JSON unless the command says otherwise). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Prints one JSON document on stdout. */
  json(value: unknown): void;
  /** Writes bytes to stdout as they are (a PDF); absent where stdout cannot take them. */
  bytes?(data: Uint8Array): void;
  /** True when stdout is a terminal (binary output is refused there). */
  readonly stdoutIsTerminal?: boolean;
}

/** Invalid input: the CLI prints the one-line reason on stderr, nothing on stdout, and exits 2. */
export class CliInputError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CliInputError';
  }
}

export interface CliCommand {
  readonly name: string;
  /** One line, shown by `hantool help`. */
  readonly usage: string;
  /** Returns the exit code; throw CliInputError for invalid input. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

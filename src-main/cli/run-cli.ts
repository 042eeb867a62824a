import type { CliCommand, CliIo } from './cli-command';
import { CliInputError } from './cli-command';

/**
 * Text for a terminal: control characters (escape sequences that move the cursor, retitle the window or
 * rewrite earlier lines) become visible `\xNN`, keeping only newline, tab and the CR of a CRLF line end (CSV is
 * RFC 4180). Arguments are echoed in messages.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is made visible here
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Runs one command line; returns the exit code. Separated from process handling so tests call it directly. */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], rawIo: CliIo): Promise<number> {
  // JSON output escapes control characters itself; plain text is made printable.
  // Everything else the caller's io offers (stdin, raw bytes, whether stdout is a terminal) passes as it is.
  const io: CliIo = { ...rawIo, out: (text) => rawIo.out(printable(text)), err: (text) => rawIo.err(printable(text)) };
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    io.err('usage: hantool <command> [arguments]\n' + commands.map((c) => `  ${c.usage}`).join('\n'));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}" (try: ${commands.map((c) => c.name).join(', ')})`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliInputError) {
      io.err(error.message.split('\n')[0]!);
      return 2;
    }
    io.err(`hantool ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  json: (value) => process.stdout.write(JSON.stringify(value) + '\n'),
  bytes: (data) => process.stdout.write(data),
  stdoutIsTerminal: process.stdout.isTTY === true,
};

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { FormatCache } from '../mbus/common/compact';
import { parseHex } from '../mbus/common/hex';
import type { DecodedTelegram } from '../mbus/common/telegram';
import { decodeTelegram } from '../mbus/decode';
import type { CliIo } from './cli-command';

/** A CliIo that may bring its own standard input (tests); otherwise the process's is read. */
export interface BatchIo extends CliIo {
  readonly stdin?: Readable;
}

/**
 * `hantool mbus decode -`: one telegram per input line as `<hex> [<32 hex key>]` (blank lines and `#` comments
 * skipped), one JSON object per telegram on stdout — the single-telegram command's object, or
 * `{"line":n,"error":…}` for a line that cannot be decoded. Compact-frame formats learnt from a meter's full
 * frames are kept across lines, as a receiver keeps them. Exit 0 when every line decoded, 1 when some did not.
 */
export async function decodeBatch(io: BatchIo, defaultKey: Uint8Array | undefined, toJson: (t: DecodedTelegram) => Record<string, unknown>): Promise<number> {
  const formats = new FormatCache();
  const lines = createInterface({ input: io.stdin ?? process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  let failed = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [hex = '', keyText, ...extra] = line.split(/\s+/);
    const bytes = parseHex(hex);
    const key = keyText !== undefined ? parseHex(keyText) : defaultKey;
    let error: string | undefined;
    if (extra.length > 0) error = 'expected "<hex> [<key>]" on the line';
    else if (!bytes || bytes.length === 0) error = 'the telegram must be an even number of hex digits';
    else if (keyText !== undefined && key?.length !== 16) error = 'the key must be 32 hex digits (AES-128)';
    if (!error) {
      const result = decodeTelegram(bytes!, key ? () => key : undefined, formats);
      if (result.ok) {
        io.json({ line: lineNumber, ...toJson(result.telegram) });
        continue;
      }
      error = `${result.error.reason} at byte offset ${result.error.offset}`;
    }
    failed++;
    io.json({ line: lineNumber, error });
  }
  return failed === 0 ? 0 : 1;
}

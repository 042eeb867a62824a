import { decodeTelegram } from '../mbus/decode';
import { parseHex } from '../mbus/hex';
import type { DecodedTelegram } from '../mbus/telegram';
import { CliInputError, type CliCommand } from './cli-command';

const USAGE = 'mbus decode <hex> [--key <32 hex>]   decode a wired M-Bus frame or a wireless M-Bus telegram';

/** The stable JSON shape of `hantool mbus decode`: header fields at the top level, then the records. */
export function telegramJson(t: DecodedTelegram): Record<string, unknown> {
  const h = t.header;
  return {
    kind: t.kind,
    frame: t.frame,
    ...(t.address !== undefined ? { address: t.address } : {}),
    ...(t.ci !== undefined ? { ci: t.ci } : {}),
    ...(h
      ? { id: h.id, manufacturer: h.manufacturer, version: h.version, medium: h.medium, accessNumber: h.accessNumber, status: h.status }
      : {}),
    encrypted: t.encrypted,
    decrypted: t.decrypted,
    ...(t.decryptionError ? { reason: t.decryptionError } : {}),
    ...(t.wireless
      ? { crc: t.wireless.crc, format: t.wireless.format, securityMode: t.wireless.securityMode, linkAddress: t.wireless.linkAddress }
      : {}),
    ...(t.applicationError ? { applicationError: t.applicationError } : {}),
    moreRecordsFollow: t.moreRecordsFollow,
    records: t.records.map((r) => ({
      quantity: r.quantity,
      value: r.value,
      unit: r.unit,
      storage: r.storage,
      tariff: r.tariff,
      subunit: r.subunit,
      function: r.function,
      ...(r.modifiers ? { modifiers: r.modifiers } : {}),
      offset: r.offset,
      length: r.length,
    })),
  };
}

/** `hantool mbus decode <hex> [--key <hex>]`. */
export const mbusCommand: CliCommand = {
  name: 'mbus',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'decode') throw new CliInputError(`mbus: unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
    let key: Uint8Array | undefined;
    const hexParts: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === '--key') {
        const value = rest[++i];
        const parsed = value ? parseHex(value) : undefined;
        if (!parsed || parsed.length !== 16) throw new CliInputError('mbus decode: --key needs 32 hex digits (AES-128)');
        key = parsed;
      } else if (arg.startsWith('--')) {
        throw new CliInputError(`mbus decode: unknown option ${arg}`);
      } else {
        hexParts.push(arg);
      }
    }
    // Telegrams are often pasted with spaces, so separate arguments are joined.
    const bytes = parseHex(hexParts.join(''));
    if (!bytes || bytes.length === 0) throw new CliInputError('mbus decode: give the telegram as hex digits (an even number of them)');
    const result = decodeTelegram(bytes, key ? () => key : undefined);
    if (!result.ok) throw new CliInputError(`mbus decode: ${result.error.reason} at byte offset ${result.error.offset}`);
    io.json(telegramJson(result.telegram));
    return 0;
  },
};

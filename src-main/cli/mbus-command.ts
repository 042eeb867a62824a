import { createLink } from '../link/create-link';
import { decodeTelegram } from '../mbus/decode';
import { parseHex } from '../mbus/common/hex';
import { MbusError, MbusMaster } from '../mbus/wired/master';
import { mbusLinkTarget } from '../mbus/mbus-links';
import { idMask } from '../mbus/wired/secondary-address';
import type { DecodedTelegram } from '../mbus/common/telegram';
import { ADDRESS_SELECTED } from '../mbus/wired/wired-frame';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';
import { decodeBatch } from './mbus-batch';

const USAGE = [
  'mbus decode <hex> [--key <32 hex>]   decode a wired M-Bus frame or a wireless M-Bus telegram',
  '  mbus decode - [--key <32 hex>]   decode one telegram per stdin line ("<hex> [<key>]"), one JSON object per line',
  '  mbus scan <port|tcp://host:port> [--from N] [--to N] [--secondary] [--baud B] [--timeout ms]   scan a wired bus',
  '  mbus read <port|tcp://host:port> <primary 0-250 | 8-digit id> [--baud B] [--timeout ms]   read one meter (all telegrams)',
].join('\n');

/** The stable JSON shape of `hantool mbus decode`: header fields at the top level, then the records. */
export function telegramJson(t: DecodedTelegram): Record<string, unknown> {
  const h = t.header;
  return {
    kind: t.kind,
    frame: t.frame,
    ...(t.address !== undefined ? { address: t.address } : {}),
    ...(t.ci !== undefined ? { ci: t.ci } : {}),
    ...(h ? { id: h.id, manufacturer: h.manufacturer, version: h.version, medium: h.medium, accessNumber: h.accessNumber, status: h.status } : {}),
    encrypted: t.encrypted,
    decrypted: t.decrypted,
    ...(t.decryptionError || t.note ? { reason: t.decryptionError ?? t.note } : {}),
    ...(t.decryptionError && t.note ? { note: t.note } : {}),
    ...(t.decryptionCheck ? { decryptionCheck: t.decryptionCheck } : {}),
    ...(t.undecoded ? { undecoded: t.undecoded } : {}),
    ...(t.wireless ? { crc: t.wireless.crc, format: t.wireless.format, securityMode: t.wireless.securityMode, linkAddress: t.wireless.linkAddress } : {}),
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
    if (sub === 'scan' || sub === 'read') return wired(sub, rest, io);
    if (sub !== 'decode') throw new CliInputError(`mbus: unknown subcommand "${sub ?? ''}" (try decode, scan or read)`);
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
    if (hexParts.length === 1 && hexParts[0] === '-') return decodeBatch(io, key, telegramJson);
    // Telegrams are often pasted with spaces, so separate arguments are joined.
    const bytes = parseHex(hexParts.join(''));
    if (!bytes || bytes.length === 0) throw new CliInputError('mbus decode: give the telegram as hex digits (an even number of them)');
    const result = decodeTelegram(bytes, key ? () => key : undefined);
    if (!result.ok) throw new CliInputError(`mbus decode: ${result.error.reason} at byte offset ${result.error.offset}`);
    io.json(telegramJson(result.telegram));
    return 0;
  },
};

interface WiredOptions {
  readonly positional: string[];
  readonly from: number;
  readonly to: number;
  readonly secondary: boolean;
  readonly baud?: number;
  readonly timeoutMs?: number;
}

function integerOption(name: string, value: string | undefined, min: number, max: number): number {
  const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new CliInputError(`mbus: ${name} needs a whole number from ${min} to ${max}`);
  return n;
}

function parseWired(args: readonly string[]): WiredOptions {
  const positional: string[] = [];
  let from = 0,
    to = 250,
    secondary = false;
  let baud: number | undefined, timeoutMs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--from') from = integerOption('--from', args[++i], 0, 250);
    else if (arg === '--to') to = integerOption('--to', args[++i], 0, 250);
    else if (arg === '--baud') baud = integerOption('--baud', args[++i], 300, 38400);
    else if (arg === '--timeout') timeoutMs = integerOption('--timeout', args[++i], 10, 10_000);
    else if (arg === '--secondary') secondary = true;
    else if (arg.startsWith('--')) throw new CliInputError(`mbus: unknown option ${arg}`);
    else positional.push(arg);
  }
  if (from > to) throw new CliInputError('mbus scan: --from must not be above --to');
  return { positional, from, to, secondary, ...(baud !== undefined ? { baud } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** `mbus scan` and `mbus read`: the wired master on a level converter (2400 8E1 by default) or a TCP gateway. */
async function wired(sub: 'scan' | 'read', args: readonly string[], io: CliIo): Promise<number> {
  const options = parseWired(args);
  const [where, which] = options.positional;
  if (!where) throw new CliInputError(`mbus ${sub}: give the serial port or tcp://host:port of the M-Bus master`);
  if (sub === 'read' && (!which || !/^(\d{1,3}|[0-9A-Fa-f]{8})$/.test(which) || (/^\d{1,3}$/.test(which) && Number(which) > 250))) {
    throw new CliInputError('mbus read: give a primary address 0-250 or an 8-digit secondary id');
  }
  let target;
  try {
    target = mbusLinkTarget(where, 'mbus', options.baud);
  } catch (error) {
    throw new CliInputError(`mbus ${sub}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const link = createLink(target);
  await link.open();
  try {
    const master = new MbusMaster(link, {
      ...(options.baud ? { baudRate: options.baud } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (sub === 'scan') {
      if (options.secondary) {
        const report = await master.scanSecondary();
        io.json({ meters: report.slaves.map((s) => ({ ...s.header, secondary: s.secondary })), unresolved: report.unresolved, probes: report.probes });
      } else {
        const report = await master.scanPrimary({ from: options.from, to: options.to });
        io.json({ meters: report.slaves.map((s) => ({ primary: s.primary, ...s.header, secondary: s.secondary })), collisions: report.collisions });
      }
      return 0;
    }
    let address: number;
    if (/^[0-9A-Fa-f]{8}$/.test(which!) && which!.length === 8) {
      const ack = await master.select(idMask(which!.toUpperCase()));
      if (ack !== 'ack') {
        io.err(`mbus read: no single meter answers secondary address ${which} (${ack === 'none' ? 'no answer' : 'collision'})`);
        return 1;
      }
      address = ADDRESS_SELECTED;
    } else {
      address = Number(which);
      if ((await master.ping(address)) === 'none') {
        io.err(`mbus read: no meter answers at primary address ${address}`);
        return 1;
      }
    }
    const result = await master.read(address, { restart: address === ADDRESS_SELECTED });
    io.json({ telegrams: result.telegrams.map(telegramJson) });
    return 0;
  } catch (error) {
    if (error instanceof MbusError) {
      io.err(`mbus ${sub}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await link.close();
  }
}

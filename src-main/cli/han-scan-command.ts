import { setLogger } from 'zigbee-herdsman';
import type { HanAdapterType } from '../../src-shared/model/han-adapters';
import { ZIGBEE_CHANNELS } from '../../src-shared/model/rf-survey';
import { DongleDiscovery } from '../discovery/dongle-discovery';
import { silentLogger } from '../util/logger';
import { herdsmanLogger } from '../zigbee/han-service';
import { scanBeacons, scanEnergy, type ScanDongle } from '../zigbee/diagnostics/scanner';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';

const USAGE = 'han scan energy|beacons [--port <tcp://host:port|serial path>] [--channels 11-26] [--adapter zstack|ember]   RF survey without joining';
const ADAPTERS: readonly HanAdapterType[] = ['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'zoh'];

/** "11-26", "11,15,20", "11-14,25" → ascending unique channels 11–26. */
export function parseChannels(text: string): number[] {
  const channels = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,2})\s*(?:-\s*(\d{1,2}))?\s*$/.exec(part);
    if (!match) throw new CliInputError(`han scan: --channels takes channels 11-26 such as "11-26" or "11,15,20" (got "${text}")`);
    const from = Number(match[1]);
    const to = match[2] !== undefined ? Number(match[2]) : from;
    if (from < 11 || to > 26 || from > to) throw new CliInputError(`han scan: channels are 11-26 (got "${part.trim()}")`);
    for (let c = from; c <= to; c++) channels.add(c);
  }
  return [...channels].sort((a, b) => a - b);
}

interface ScanArgs {
  readonly kind: 'energy' | 'beacons';
  readonly port?: string;
  readonly adapter?: HanAdapterType;
  readonly channels: number[];
}

function parseArgs(args: readonly string[]): ScanArgs {
  const [sub, kind, ...rest] = args;
  if (sub !== 'scan') throw new CliInputError(`han: unknown subcommand "${sub ?? ''}" (try: han scan energy|beacons)`);
  if (kind !== 'energy' && kind !== 'beacons') throw new CliInputError(`han scan: say what to scan, energy or beacons (got "${kind ?? ''}")`);
  let port: string | undefined;
  let adapter: HanAdapterType | undefined;
  let channels = [...ZIGBEE_CHANNELS];
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i]!;
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliInputError(`han scan: ${option} needs a value`);
    i++;
    if (option === '--port') port = value;
    else if (option === '--channels') channels = parseChannels(value);
    else if (option === '--adapter') {
      if (!ADAPTERS.includes(value as HanAdapterType)) throw new CliInputError(`han scan: --adapter is one of ${ADAPTERS.join(', ')}`);
      adapter = value as HanAdapterType;
    } else throw new CliInputError(`han scan: unknown option ${option}`);
  }
  return { kind, channels, ...(port ? { port } : {}), ...(adapter ? { adapter } : {}) };
}

/** Without --port: the one ZigBee coordinator discovery identifies, or a clear reason why none was chosen. */
async function discoverDongle(adapter: HanAdapterType | undefined): Promise<ScanDongle> {
  const list = await new DongleDiscovery({ log: silentLogger }).list();
  const coordinators = list.dongles.filter(
    (d) => d.classification.kind === 'zigbee-coordinator' && d.classification.certainty !== 'possible' && !d.inUse && d.classification.driver,
  );
  if (coordinators.length !== 1)
    throw new CliInputError(
      coordinators.length === 0
        ? 'han scan: no ZigBee coordinator found; give --port (a serial path, or tcp://host:port such as the training premises port `hantool sim` prints)'
        : `han scan: several ZigBee coordinators found (${coordinators.map((d) => d.path).join(', ')}); choose one with --port`,
    );
  const found = coordinators[0]!;
  return { adapter: adapter ?? (found.classification.driver as HanAdapterType), path: found.path };
}

/**
 * `hantool han scan energy|beacons`: an RF survey on a coordinator dongle, never joining anything. Stable JSON:
 * energy → {"channels":[{"channel","energy","rssi"}]} (energy 0–255 as Z-Stack reports it, rssi dBm as Ember
 * reports it, the other null); beacons → {"networks":[{"channel","panId","extendedPanId","permitJoin",
 * "routerCapacity","deviceCapacity","lqi","rssi"}]}, rssi null where the adapter does not report it.
 */
export const hanScanCommand: CliCommand = {
  name: 'han',
  usage: USAGE,
  async run(args, io: CliIo) {
    const parsed = parseArgs(args);
    const dongle: ScanDongle = parsed.port ? { adapter: parsed.adapter ?? 'zstack', path: parsed.port } : await discoverDongle(parsed.adapter);
    setLogger(herdsmanLogger(silentLogger));
    if (parsed.kind === 'energy') {
      const result = await scanEnergy(dongle, parsed.channels, 3, silentLogger);
      io.json({ channels: result.readings.map((r) => ({ channel: r.channel, energy: r.energy, rssi: r.rssi })) });
      if (result.note) io.err(result.note);
      return 0;
    }
    const networks = await scanBeacons(dongle, parsed.channels, 4, silentLogger);
    io.json({
      networks: networks.map((n) => ({
        channel: n.channel,
        panId: n.panId,
        extendedPanId: n.extendedPanId,
        permitJoin: n.permitJoin,
        routerCapacity: n.routerCapacity,
        deviceCapacity: n.deviceCapacity,
        lqi: n.lqi,
        rssi: n.rssi,
      })),
    });
    return 0;
  },
};

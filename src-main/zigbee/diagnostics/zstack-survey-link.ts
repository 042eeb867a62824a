import { AdapterTransport } from 'zigbee-herdsman/dist/adapter/transport';
import { AdapterNvMemory } from 'zigbee-herdsman/dist/adapter/z-stack/adapter/adapter-nv-memory';
import { NvItemsIds } from 'zigbee-herdsman/dist/adapter/z-stack/constants/common';
import { Subsystem, Type } from 'zigbee-herdsman/dist/adapter/z-stack/unpi/constants';
import { Znp } from 'zigbee-herdsman/dist/adapter/z-stack/znp';
import { ClusterId as ZdoClusterId } from 'zigbee-herdsman/dist/zspec/zdo';
import type { EnergyReading, SurveyNetwork } from '../../../src-shared/model/rf-survey';
import { AppError } from '../../../src-shared/ipc/result';
import { UnpiParser } from '../emulator/unpi';
import { randomNetworkParams } from '../network-params';
import {
  discoveryRequest,
  energyScanRequest,
  maskChannels,
  MGMT_NWK_UPDATE_NOTIFY_CLUSTER,
  MT_AREQ,
  MT_ZDO,
  parseBeaconNotify,
  parseNwkUpdateNotify,
  ZDO_BEACON_NOTIFY_IND,
  ZDO_NWK_DISCOVERY_CNF,
} from './mt-scan-frames';

/** Z-Stack device states (ZDO devStates_t) the survey cares about. */
const DEV_HOLD = 0;
const DEV_ZB_COORD = 9;
/** The survey network's channel: 26 is outside the SE preferred set, so no SE HAN is likely to be on it. */
const SURVEY_NETWORK_CHANNEL = 26;
/** One MAC superframe (aBaseSuperframeDuration, 960 symbols at 16 µs). */
const SUPERFRAME_MS = 15.36;

/** Time a scan of `channels` takes at `duration` (IEEE 802.15.4: (2^n + 1) superframes per channel), plus slack. */
export function scanTimeoutMs(channels: number, duration: number): number {
  return Math.ceil(channels * SUPERFRAME_MS * (2 ** duration + 1)) + 5000;
}

/**
 * The survey role on a Z-Stack dongle: herdsman's MT driver (Znp, over its own serial/TCP transport) without a
 * Controller, because Controller.start() forms, resumes or restores a network on whatever it is given.
 *
 * - Beacon scans (ZDO_NWK_DISCOVERY_REQ) need no network: the dongle hears beacons and never joins anything.
 * - Energy scans go through ZDO Mgmt_NWK_Update_req to the coordinator itself, which Z-Stack answers only on a
 *   started network. So: a dongle already running its network scans as it is; a dongle holding a network in NV
 *   is started unchanged (nothing written to NV, joining stays closed); a factory-new dongle gets a closed,
 *   device-less survey network of its own on channel 26. Each case is reported in the scan's note.
 *
 * herdsman's parse of ZDO_BEACON_NOTIFY_IND is a stub (its definition reads the beacon list as `beaconcount`
 * bytes), so beacons are read from the raw UNPI frames on the transport.
 */
export class ZstackSurveyLink {
  readonly #transport: AdapterTransport;
  readonly #znp: Znp;
  readonly #rawListeners = new Set<(command: number, data: Buffer) => void>();

  private constructor(path: string) {
    this.#transport = new AdapterTransport({ path, baudRate: 115200, rtscts: false });
    this.#znp = new Znp(this.#transport);
    const parser = new UnpiParser({
      frame: (frame) => {
        if (frame.type === MT_AREQ && frame.subsystem === MT_ZDO) for (const listener of this.#rawListeners) listener(frame.command, frame.data);
      },
      garbage: () => undefined,
    });
    this.#transport.on('data', (chunk) => parser.push(chunk));
  }

  /** Opens the dongle's MT link (SYS_PING, skipping a CC253x bootloader). */
  static async open(path: string): Promise<ZstackSurveyLink> {
    const link = new ZstackSurveyLink(path);
    try {
      await link.#znp.open();
    } catch (error) {
      await link.close();
      throw new AppError('ADAPTER_START_FAILED', `The Z-Stack dongle at ${path} did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    return link;
  }

  async close(): Promise<void> {
    this.#rawListeners.clear();
    try {
      await this.#znp.close();
    } catch {
      // the transport may already be gone (dongle unplugged); nothing more to release
    }
  }

  async #deviceState(): Promise<number> {
    const info = await this.#znp.requestWithReply(Subsystem.UTIL, 'getDeviceInfo', {});
    return Number(info.payload.devicestate);
  }

  /**
   * Makes sure the coordinator's network runs so it can answer Mgmt_NWK_Update_req; returns what it had to do,
   * in the engineer's words.
   */
  async prepareForEnergyScan(): Promise<string> {
    const state = await this.#deviceState();
    if (state === DEV_ZB_COORD) return "The dongle's own network was already running; it was scanned as it is.";
    const version = await this.#znp.requestWithReply(Subsystem.SYS, 'version', {});
    const nv = new AdapterNvMemory(this.#znp);
    await nv.init();
    const nib = await nv.readItem(NvItemsIds.NIB);
    if (nib && nib.length > 0) {
      const startup = await nv.readItem(NvItemsIds.STARTUP_OPTION);
      if (startup && (startup[0]! & 0x03) !== 0)
        throw new AppError('DONGLE_HOLDS_NETWORK', 'This dongle would clear its network on start (its startup option is set); it was left untouched.');
      await this.#startAndWait(() => this.#znp.request(Subsystem.ZDO, 'startupFromApp', { startdelay: 100 }, undefined, undefined, [0, 1]));
      return 'This dongle holds a network; it was started unchanged, with joining closed, just to run the energy scan.';
    }
    if (state !== DEV_HOLD || Number(version.payload.product) === 0)
      throw new AppError('UNSUPPORTED', 'Energy scans need Z-Stack 3.x firmware in its factory state or with a network of its own.');
    const params = randomNetworkParams(SURVEY_NETWORK_CHANNEL);
    await this.#formSurveyNetwork(nv, params.panId, params.extendedPanId);
    return `This factory-new dongle was started as a closed survey network of its own (PAN 0x${params.panId.toString(16).toUpperCase().padStart(4, '0')}, channel ${SURVEY_NETWORK_CHANNEL}, no devices, joining closed) to run the energy scan; it joined nothing.`;
  }

  async #formSurveyNetwork(nv: AdapterNvMemory, panId: number, extendedPanId: string): Promise<void> {
    const u16 = (value: number): Buffer => Buffer.from([value & 0xff, value >> 8]);
    const u32 = (value: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(value >>> 0);
      return b;
    };
    const mask = 1 << SURVEY_NETWORK_CHANNEL;
    await nv.writeItem(NvItemsIds.LOGICAL_TYPE, Buffer.from([0x00]));
    await nv.writeItem(NvItemsIds.PANID, u16(panId));
    await nv.writeItem(NvItemsIds.EXTENDED_PAN_ID, Buffer.from(extendedPanId, 'hex').reverse());
    await nv.writeItem(NvItemsIds.CHANLIST, u32(mask));
    await this.#znp.request(Subsystem.APP_CNF, 'bdbSetChannel', { isPrimary: 1, channel: mask });
    await this.#znp.request(Subsystem.APP_CNF, 'bdbSetChannel', { isPrimary: 0, channel: 0 });
    await this.#startAndWait(() => this.#znp.request(Subsystem.APP_CNF, 'bdbStartCommissioning', { mode: 0x04 }));
    // Formation leaves joining closed on Z-Stack 3; say so explicitly to the coordinator itself anyway.
    const permit = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00]);
    await this.#znp.requestZdo(ZdoClusterId.PERMIT_JOINING_REQUEST, permit);
  }

  async #startAndWait(start: () => Promise<unknown>): Promise<void> {
    const waiter = this.#znp.waitFor(Type.AREQ, Subsystem.ZDO, 'stateChangeInd', undefined, undefined, DEV_ZB_COORD, 40_000);
    const started = waiter.start();
    await start();
    await started.promise;
  }

  /**
   * One energy scan (Mgmt_NWK_Update_req to itself, duration 0–5). Its notify reaches the host as its own AREQ
   * only when ZCD_NV_ZDO_DIRECT_CB is set in NV; the survey never writes that on a dongle's network, so it
   * registers for the notify's cluster at run time (ZDO_MSG_CB_REGISTER, gone at the next reset) and takes the
   * first answer in either form.
   */
  async energyScan(channels: readonly number[], duration: number): Promise<EnergyReading[]> {
    await this.#znp.request(Subsystem.ZDO, 'msgCbRegister', { clusterid: MGMT_NWK_UPDATE_NOTIFY_CLUSTER });
    try {
      const answer = this.#nextRaw(
        (command, data) => {
          const notify = parseNwkUpdateNotify(command, data);
          return notify && notify.source === 0x0000 ? notify : undefined;
        },
        scanTimeoutMs(channels.length, duration),
      );
      await this.#znp.requestZdo(ZdoClusterId.NWK_UPDATE_REQUEST, energyScanRequest(channels, duration));
      const notify = await answer;
      return energyReadings([notify.status, { scannedChannels: notify.scannedChannels, entryList: notify.energies }], channels);
    } finally {
      await this.#znp.request(Subsystem.ZDO, 'msgCbRemove', { clusterid: MGMT_NWK_UPDATE_NOTIFY_CLUSTER }).catch(() => undefined);
    }
  }

  /** The first raw ZDO AREQ `pick` accepts, within the timeout. */
  #nextRaw<T>(pick: (command: number, data: Buffer) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (command: number, data: Buffer): void => {
        const value = pick(command, data);
        if (value === undefined) return;
        clearTimeout(timer);
        this.#rawListeners.delete(listener);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#rawListeners.delete(listener);
        reject(new AppError('TIMEOUT', `The dongle did not report the energy scan within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.#rawListeners.add(listener);
    });
  }

  /** One active scan: beacons until ZDO_NWK_DISCOVERY_CNF. Nothing is joined. */
  async beaconScan(channels: readonly number[], duration: number): Promise<SurveyNetwork[]> {
    const networks: SurveyNetwork[] = [];
    let finish: (status: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (finish = resolve));
    const listener = (command: number, data: Buffer): void => {
      if (command === ZDO_BEACON_NOTIFY_IND) networks.push(...parseBeaconNotify(data));
      else if (command === ZDO_NWK_DISCOVERY_CNF) finish(data[0] ?? 0);
    };
    this.#rawListeners.add(listener);
    const timeoutMs = scanTimeoutMs(channels.length, duration);
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.#znp.request(Subsystem.ZDO, 'nwkDiscoveryReq', {
        scanchannels: discoveryRequest(channels, duration).readUInt32LE(0),
        scanduration: duration,
      });
      const status = await Promise.race([
        done,
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new AppError('TIMEOUT', `The beacon scan did not finish within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs)),
        ),
      ]);
      // Status 0xEA (MAC_NO_BEACON) only means nothing answered: an empty survey, not a failure.
      if (status !== 0 && status !== 0xea) throw new AppError('SCAN_FAILED', `The dongle ended the beacon scan with status 0x${status.toString(16)}.`);
    } finally {
      if (timer) clearTimeout(timer);
      this.#rawListeners.delete(listener);
    }
    return networks;
  }
}

/** herdsman's parsed NWK_UPDATE_RESPONSE ([status, {scannedChannels, entryList}]) → one reading per channel asked. */
export function energyReadings(zdo: unknown, channels: readonly number[]): EnergyReading[] {
  const [status, body] = (Array.isArray(zdo) ? zdo : []) as [number, { scannedChannels: number; entryList: number[] } | undefined];
  if (status !== 0 || !body)
    throw new AppError('SCAN_FAILED', `The coordinator refused the energy scan (ZDO status 0x${Number(status ?? 0xff).toString(16)}).`);
  const scanned = maskChannels(body.scannedChannels);
  const byChannel = new Map(scanned.map((channel, i) => [channel, body.entryList[i]]));
  return [...channels].sort((a, b) => a - b).map((channel) => ({ channel, energy: byChannel.get(channel) ?? null, rssi: null }));
}

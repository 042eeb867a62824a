import type { CoordinatorState } from './coordinator-state';
import type { DeviceNetwork, EmulatorEvent } from './device-network';
import type { HostLink } from './host-link';
import { u16, u32, u8 } from './mt-codec';
import type { RadioWorld } from './radio-world';
import { MtSubsystem } from './unpi';
import { CLUSTER, SE_PROFILE, type VirtualSeDevice } from './virtual-se-device';
import {
  decodeConfigureReporting,
  decodeReadRequest,
  decodeZclFrame,
  encodeDefaultResponse,
  encodeReadResponse,
  encodeReport,
  encodeZclFrame,
  ZclCommand,
  ZclStatus,
  type ZclFrame,
} from './zcl-codec';

const AF_INCOMING_MSG = 0x81;

/**
 * The virtual SE devices' application layer: how each answers ZCL (reads, writes, reporting configuration), the
 * reports it sends to its bindings, and how what it sends reaches the host (AF_INCOMING_MSG).
 */
export class DeviceZcl {
  readonly #host: HostLink;
  readonly #network: DeviceNetwork;
  readonly #state: CoordinatorState;
  readonly #radio: RadioWorld;
  readonly #now: () => number;
  readonly #emit: (event: EmulatorEvent) => void;
  #deviceTsn = 0;

  constructor(deps: {
    host: HostLink;
    network: DeviceNetwork;
    state: CoordinatorState;
    radio: RadioWorld;
    now: () => number;
    emit: (event: EmulatorEvent) => void;
  }) {
    this.#host = deps.host;
    this.#network = deps.network;
    this.#state = deps.state;
    this.#radio = deps.radio;
    this.#now = deps.now;
    this.#emit = deps.emit;
  }

  incoming(device: VirtualSeDevice, clusterId: number, dstEp: number, data: Buffer): void {
    // The coordinator hears the last hop: the device itself, or the router it sits behind.
    const lastHop = this.#network.parentOf(device) ?? device;
    this.#host.areq(
      MtSubsystem.AF,
      AF_INCOMING_MSG,
      Buffer.concat([
        u16(0),
        u16(clusterId),
        u16(device.nwkAddress),
        u8(device.endpoint),
        u8(dstEp),
        u8(0),
        u8(this.#radio.linkLqi(lastHop.eui64)),
        u8(0),
        u32(this.#now() & 0xffffffff),
        u8(0),
        u8(data.length),
        data,
        u16(lastHop.nwkAddress), // MacSrcAddr (MT_AfIncomingMsg appends it, then the radius)
        u8(lastHop === device ? 30 : 29), // radius left: AF_DEFAULT_RADIUS (2 × nwkMaxDepth) less one per relay
      ]),
    );
  }

  /**
   * The device's ZCL behaviour. SE endpoints answer only frames sent with the SE profile (0x0109), as real meters
   * do; the Basic cluster is answered on any profile so that herdsman's interview (which always reads genBasic with
   * the HA profile and waits 10 s before retrying a failed modelId/manufacturerName read) completes.
   */
  handle(device: VirtualSeDevice, ep: number, clusterId: number, profile: number, data: Buffer): Buffer | undefined {
    let frame: ZclFrame;
    try {
      frame = decodeZclFrame(data);
    } catch {
      this.#emit({ kind: 'malformed', reason: 'ZCL frame too short' });
      return undefined;
    }
    const h = frame.header;
    const reply = (commandId: number, payload: Buffer): Buffer =>
      encodeZclFrame(
        {
          frameType: 0,
          direction: 1,
          disableDefaultResponse: true,
          tsn: h.tsn,
          commandId,
          ...(h.manufacturerCode !== undefined ? { manufacturerCode: h.manufacturerCode } : {}),
        },
        payload,
      );
    const defaultRsp = (status: number): Buffer | undefined =>
      h.disableDefaultResponse && status === ZclStatus.SUCCESS ? undefined : reply(ZclCommand.DEFAULT_RSP, encodeDefaultResponse(h.commandId, status));
    if (h.direction === 1) return undefined; // responses and reports from the host side: nothing to answer
    const attributes = device.clusters.get(clusterId);
    const profileOk = profile === SE_PROFILE || clusterId === CLUSTER.BASIC;
    if (ep !== device.endpoint || !attributes || !profileOk) return defaultRsp(ZclStatus.UNSUPPORTED_CLUSTER);
    if (h.frameType === 1) return defaultRsp(ZclStatus.UNSUP_CLUSTER_COMMAND);
    try {
      switch (h.commandId) {
        case ZclCommand.READ: {
          const records = decodeReadRequest(frame.payload).map((attrId) => {
            const attribute = attributes.get(attrId);
            return attribute
              ? { attrId, status: ZclStatus.SUCCESS, type: attribute.type, value: attribute.read() }
              : { attrId, status: ZclStatus.UNSUPPORTED_ATTRIBUTE };
          });
          return reply(ZclCommand.READ_RSP, encodeReadResponse(records));
        }
        case ZclCommand.WRITE: {
          // Every attribute of the virtual devices is read-only; the response lists the first failing record.
          if (frame.payload.length < 3) return defaultRsp(ZclStatus.MALFORMED_COMMAND);
          const id = frame.payload.readUInt16LE(0);
          return reply(ZclCommand.WRITE_RSP, Buffer.from([attributes.has(id) ? ZclStatus.READ_ONLY : ZclStatus.UNSUPPORTED_ATTRIBUTE, id & 0xff, id >> 8]));
        }
        case ZclCommand.CONFIGURE_REPORTING: {
          const failures: Buffer[] = [];
          for (const record of decodeConfigureReporting(frame.payload)) {
            const attribute = attributes.get(record.attrId);
            if (record.direction !== 0) continue;
            if (!attribute) {
              failures.push(Buffer.from([ZclStatus.UNSUPPORTED_ATTRIBUTE, 0, record.attrId & 0xff, record.attrId >> 8]));
              continue;
            }
            const key = `${clusterId}:${record.attrId}`;
            if (record.maxInterval === 0xffff) device.reporting.delete(key);
            else
              device.reporting.set(key, {
                clusterId,
                attrId: record.attrId,
                type: attribute.type,
                minInterval: record.minInterval ?? 0,
                maxInterval: record.maxInterval ?? 0,
              });
          }
          this.scheduleReports(device, 20);
          return reply(ZclCommand.CONFIGURE_REPORTING_RSP, failures.length ? Buffer.concat(failures) : u8(ZclStatus.SUCCESS));
        }
        case ZclCommand.DEFAULT_RSP:
        case ZclCommand.REPORT:
          return undefined;
        default:
          return defaultRsp(ZclStatus.UNSUP_GENERAL_COMMAND);
      }
    } catch {
      this.#emit({ kind: 'malformed', reason: 'ZCL payload malformed' });
      return defaultRsp(ZclStatus.MALFORMED_COMMAND);
    }
  }

  /** Sends the device's configured reports to each binding of the cluster, now (after `delayMs`) and every max interval. */
  scheduleReports(device: VirtualSeDevice, delayMs: number): void {
    this.#host.later(delayMs, () => {
      if (!device.joined || !this.#network.reachable(device)) return;
      const byCluster = new Map<number, { attrId: number; type: number; maxInterval: number }[]>();
      for (const entry of device.reporting.values()) {
        const list = byCluster.get(entry.clusterId) ?? [];
        list.push(entry);
        byCluster.set(entry.clusterId, list);
      }
      for (const [clusterId, entries] of byCluster) {
        const attributes = device.clusters.get(clusterId)!;
        const records = entries.map((e) => ({ attrId: e.attrId, type: e.type, value: attributes.get(e.attrId)!.read() }));
        for (const binding of device.bindings.filter((b) => b.clusterId === clusterId)) {
          this.#emit({ kind: 'report', from: device.eui64, to: binding.dstIeee, clusterId });
          if (binding.dstIeee === this.#state.ieee) {
            const payload = encodeZclFrame(
              { frameType: 0, direction: 1, disableDefaultResponse: true, tsn: this.#deviceTsn++ & 0xff, commandId: ZclCommand.REPORT },
              encodeReport(records),
            );
            this.incoming(device, clusterId, binding.dstEndpoint, payload);
          } else {
            const target = this.#network.device(binding.dstIeee);
            if (target?.joined && target.powered) target.recordReport(device.eui64, records);
          }
        }
      }
    });
  }
}

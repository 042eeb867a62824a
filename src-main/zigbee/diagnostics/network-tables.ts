import type { Controller, Models } from 'zigbee-herdsman';
import type { DeviceTables, MapLink, MapNode, NeighbourRow, NetworkMap, RouteRow } from '../../../src-shared/model/han-links';
import { AppError } from '../../../src-shared/ipc/result';

const fromHerdsman = (ieee: string): string => ieee.replace(/^0x/, '').toUpperCase();
const DEVICE_TYPES: readonly NeighbourRow['deviceType'][] = ['coordinator', 'router', 'end-device', 'unknown'];
const RELATIONSHIPS: readonly NeighbourRow['relationship'][] = ['parent', 'child', 'sibling', 'none', 'previous-child'];

/** herdsman's LQITableEntry as the ZDO spec numbers it (device type 0–3, relationship 0–4). */
export function neighbourRow(entry: { eui64: string; nwkAddress: number; deviceType: number; relationship: number; depth: number; lqi: number }): NeighbourRow {
  return {
    eui64: fromHerdsman(entry.eui64),
    nwkAddress: entry.nwkAddress,
    deviceType: DEVICE_TYPES[entry.deviceType] ?? 'unknown',
    relationship: RELATIONSHIPS[entry.relationship] ?? 'none',
    depth: entry.depth,
    lqi: entry.lqi,
  };
}

function device(controller: Controller, eui64: string): Models.Device {
  const found = controller.getDeviceByIeeeAddr(`0x${eui64.toLowerCase()}`);
  if (!found) throw new AppError('NOT_FOUND', `Device ${eui64} is not on this network.`);
  return found;
}

/**
 * Mgmt_Lqi and Mgmt_Rtg of one device, read on demand. herdsman's Device.lqi()/routingTable() page through the
 * tables (start index advanced by the entries each answer carries until the table's total is reached).
 * A device without a routing table (end devices answer NOT_SUPPORTED) gets an empty one.
 */
export async function readTables(controller: Controller, eui64: string, now: () => number = Date.now): Promise<DeviceTables> {
  const target = device(controller, eui64);
  const neighbours = (await target.lqi()).map(neighbourRow);
  let routes: RouteRow[] = [];
  try {
    routes = (await target.routingTable()).map((r) => ({ destination: r.destinationAddress, nextHop: r.nextHopAddress, status: String(r.status) }));
  } catch (error) {
    if (!/NOT_SUPPORTED/i.test(error instanceof Error ? error.message : String(error))) throw error;
  }
  return { eui64: fromHerdsman(target.ieeeAddr), nwkAddress: target.networkAddress, neighbours, routes, readAtMs: now() };
}

/**
 * The network map: the coordinator's and every router's neighbour table (Mgmt_Lqi). Each link is kept once per
 * pair, with the lower LQI of the two directions, since the weaker side is what drops frames.
 */
export async function readNetworkMap(controller: Controller, labels: ReadonlyMap<string, string>, now: () => number = Date.now): Promise<NetworkMap> {
  const nodes = new Map<string, MapNode>();
  const links = new Map<string, MapLink>();
  const unreadable: string[] = [];
  const all = [...controller.getDevicesIterator()];
  for (const d of all) {
    const id = fromHerdsman(d.ieeeAddr);
    const role = d.type === 'Coordinator' ? 'coordinator' : d.type === 'Router' ? 'router' : d.type === 'EndDevice' ? 'end-device' : 'unknown';
    nodes.set(id, { id, nwkAddress: d.networkAddress, role, label: labels.get(id) ?? (role === 'coordinator' ? 'Coordinator' : id) });
  }
  for (const d of all) {
    if (d.type !== 'Coordinator' && d.type !== 'Router') continue;
    const from = fromHerdsman(d.ieeeAddr);
    let table: NeighbourRow[];
    try {
      table = (await d.lqi()).map(neighbourRow);
    } catch {
      unreadable.push(from);
      continue;
    }
    for (const row of table) {
      if (!nodes.has(row.eui64)) {
        nodes.set(row.eui64, { id: row.eui64, nwkAddress: row.nwkAddress, role: row.deviceType, label: labels.get(row.eui64) ?? row.eui64 });
      }
      const key = [from, row.eui64].sort().join('-');
      const existing = links.get(key);
      if (!existing || row.lqi < existing.lqi) links.set(key, { source: from, target: row.eui64, lqi: row.lqi, relationship: row.relationship });
    }
  }
  return { nodes: [...nodes.values()], links: [...links.values()], readAtMs: now(), unreadable };
}

/**
 * Does the device answer? A read of genBasic ZCLVersion (mandatory on every ZigBee device, as herdsman's own ping
 * does) on its SE endpoint when it has one, with herdsman's recovery (route discovery, retries) off so a dropped
 * device shows as unanswered within the timeout.
 */
export async function probeDevice(controller: Controller, eui64: string, timeoutMs: number): Promise<boolean> {
  const target = device(controller, eui64);
  const endpoint = target.endpoints.find((e) => e.profileID === 0x0109) ?? target.endpoints[0];
  if (!endpoint) return false;
  try {
    await endpoint.read('genBasic', ['zclVersion'], {
      disableRecovery: true,
      timeout: timeoutMs,
      ...(endpoint.profileID !== undefined ? { profileId: endpoint.profileID } : {}),
    });
    return true;
  } catch {
    return false;
  }
}

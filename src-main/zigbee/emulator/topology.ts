import type { VirtualSeDevice } from './virtual-se-device';

/**
 * Neighbour and routing tables derived from who joined through whom (the coordinator's state) and how well each
 * link carries (the radio world). Relationship, device type and route status codes are ZigBee PRO's, as
 * Mgmt_Lqi_rsp and Mgmt_Rtg_rsp carry them.
 */

export const RELATIONSHIP = { PARENT: 0, CHILD: 1, SIBLING: 2, NONE: 3 } as const;
export const ROUTE_STATUS = { ACTIVE: 0, DISCOVERY_UNDERWAY: 1, DISCOVERY_FAILED: 2, INACTIVE: 3 } as const;

export interface NeighbourEntry {
  readonly eui64: string;
  readonly nwk: number;
  /** 0 coordinator, 1 router, 2 end device. */
  readonly deviceType: number;
  readonly rxOnWhenIdle: boolean;
  readonly relationship: number;
  readonly depth: number;
  readonly lqi: number;
}

export interface RouteEntry {
  readonly dst: number;
  readonly status: number;
  readonly nextHop: number;
}

export interface TopologyView {
  readonly coordinatorIeee: string;
  /** Joined devices that are on the air now. */
  readonly onAir: readonly VirtualSeDevice[];
  linkLqi(eui64: string): number;
}

/** Two routers hear each other less well than either hears the coordinator beside the meters. */
function siblingLqi(view: TopologyView, a: VirtualSeDevice, b: VirtualSeDevice): number {
  return Math.max(20, Math.min(view.linkLqi(a.eui64), view.linkLqi(b.eui64)) - 35);
}

const entry = (device: VirtualSeDevice, relationship: number, depth: number, lqi: number): NeighbourEntry => ({
  eui64: device.eui64,
  nwk: device.nwkAddress,
  deviceType: device.logicalType,
  rxOnWhenIdle: !device.spec.sleepy,
  relationship,
  depth,
  lqi,
});

/** The node's neighbour table; undefined for an end device (it keeps none: Mgmt_Lqi is NOT_SUPPORTED). */
export function neighbourTable(view: TopologyView, node: VirtualSeDevice | undefined): NeighbourEntry[] | undefined {
  const routers = view.onAir.filter((d) => !d.spec.sleepy && d.parentNwk === 0);
  if (!node) {
    // The coordinator: its children (routers and end devices that joined it directly).
    return view.onAir.filter((d) => d.parentNwk === 0).map((d) => entry(d, RELATIONSHIP.CHILD, 1, view.linkLqi(d.eui64)));
  }
  if (node.spec.sleepy) return undefined;
  const table: NeighbourEntry[] = [
    { eui64: view.coordinatorIeee, nwk: 0x0000, deviceType: 0, rxOnWhenIdle: true, relationship: RELATIONSHIP.PARENT, depth: 0, lqi: view.linkLqi(node.eui64) },
  ];
  for (const child of view.onAir.filter((d) => d.parentNwk === node.nwkAddress)) table.push(entry(child, RELATIONSHIP.CHILD, 2, view.linkLqi(child.eui64)));
  for (const other of routers.filter((d) => d !== node)) table.push(entry(other, RELATIONSHIP.SIBLING, 1, siblingLqi(view, node, other)));
  return table;
}

/** The node's routing table; undefined for an end device (it routes nothing). */
export function routingTable(view: TopologyView, node: VirtualSeDevice | undefined): RouteEntry[] | undefined {
  if (!node) {
    // Routers one hop away; an end device behind a router is reached through that router (its parent answers the
    // route request on its behalf).
    return view.onAir
      .filter((d) => !d.spec.sleepy || d.parentNwk !== 0)
      .map((d) => ({ dst: d.nwkAddress, status: ROUTE_STATUS.ACTIVE, nextHop: d.parentNwk === 0 ? d.nwkAddress : d.parentNwk }));
  }
  if (node.spec.sleepy) return undefined;
  return [{ dst: 0x0000, status: ROUTE_STATUS.ACTIVE, nextHop: 0x0000 }];
}

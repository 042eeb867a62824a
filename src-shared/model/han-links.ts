/** Link quality on our own HAN: per device, the neighbour and routing tables, and the map drawn from them. */

export interface LinkSample {
  readonly atMs: number;
  readonly lqi: number;
}

export interface DeviceLink {
  readonly eui64: string;
  readonly nwkAddress?: number;
  readonly type: string;
  /**
   * Latest LQI the coordinator saw on a frame from the device (AF incoming message) or in a neighbour table. Z-Stack
   * reports the last hop's LQI: for a device behind a router (see `via`) that is the router's link.
   */
  readonly lqi: number | null;
  /** The router the device's frames come through (its parent in the last tables read), when not the coordinator. */
  readonly via?: string;
  /** dBm; null because herdsman's Z-Stack adapter does not pass RSSI on (never derived from LQI). */
  readonly rssi: number | null;
  readonly lastSeenMs: number | null;
  readonly messages: number;
  /** null: herdsman retries inside its adapter and reports neither the retries nor their count. */
  readonly retries: number | null;
  readonly leaves: number;
  readonly rejoins: number;
  /**
   * present (heard from, or answered a probe), left (announced its leave), unreachable (did not answer a probe:
   * dropped off the air), or silent (not heard for a while).
   */
  readonly presence: 'present' | 'left' | 'unreachable' | 'silent';
  /** Oldest first, at most the last 30 samples, so a worsening link shows as a falling line. */
  readonly history: readonly LinkSample[];
  /** The LQI trend over the history: falling when the last samples are clearly below the first ones. */
  readonly trend: 'falling' | 'steady' | 'rising' | 'unknown';
}

export interface NeighbourRow {
  readonly eui64: string;
  readonly nwkAddress: number;
  readonly deviceType: 'coordinator' | 'router' | 'end-device' | 'unknown';
  readonly relationship: 'parent' | 'child' | 'sibling' | 'none' | 'previous-child';
  readonly depth: number;
  readonly lqi: number;
}

export interface RouteRow {
  readonly destination: number;
  readonly nextHop: number;
  readonly status: string;
}

export interface DeviceTables {
  readonly eui64: string;
  readonly nwkAddress: number;
  readonly neighbours: readonly NeighbourRow[];
  readonly routes: readonly RouteRow[];
  readonly readAtMs: number;
}

export interface MapNode {
  readonly id: string;
  readonly nwkAddress: number;
  readonly role: 'coordinator' | 'router' | 'end-device' | 'unknown';
  readonly label: string;
}

export interface MapLink {
  readonly source: string;
  readonly target: string;
  readonly lqi: number;
  readonly relationship: NeighbourRow['relationship'];
}

export interface NetworkMap {
  readonly nodes: readonly MapNode[];
  readonly links: readonly MapLink[];
  readonly readAtMs: number;
  /** Devices whose tables could not be read (sleepy end devices do not answer Mgmt_Lqi). */
  readonly unreadable: readonly string[];
}

/** Falling when the mean of the last third is at least 20 LQI below the mean of the first third. */
export function lqiTrend(history: readonly LinkSample[]): DeviceLink['trend'] {
  if (history.length < 3) return 'unknown';
  const third = Math.max(1, Math.floor(history.length / 3));
  const mean = (xs: readonly LinkSample[]): number => xs.reduce((s, x) => s + x.lqi, 0) / xs.length;
  const delta = mean(history.slice(-third)) - mean(history.slice(0, third));
  return delta <= -20 ? 'falling' : delta >= 20 ? 'rising' : 'steady';
}

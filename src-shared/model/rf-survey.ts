import { z } from 'zod';

/**
 * RF survey facts and pure rules (energy statistics, channel recommendation, signal verdicts), shared by main
 * (scans, job records, CLI) and the renderer (chart, map). Thresholds are documented in docs/han-diagnostics.md.
 */

/** SE preferred channels (SE 1.2 §5.4.3: mask 0x0318C800). */
export const SE_PREFERRED_CHANNELS: readonly number[] = [11, 14, 15, 19, 20, 24, 25];
export const ZIGBEE_CHANNELS: readonly number[] = Array.from({ length: 16 }, (_, i) => 11 + i);

/** One channel of one energy scan, as the adapter reports it (never converted from one scale to the other). */
export interface EnergyReading {
  readonly channel: number;
  /** Z-Stack: the MAC's energy-detect value 0–255. */
  readonly energy: number | null;
  /** EmberZNet: the maximum RSSI in dBm it heard on the channel. */
  readonly rssi: number | null;
}

export interface EnergyScan {
  readonly adapter: string;
  readonly atMs: number;
  readonly channels: readonly EnergyReading[];
  /** What the scan had to do to the dongle, in the engineer's words (e.g. the closed survey network it started). */
  readonly note?: string;
}

/** min/mean/max of repeated scans of one channel, on the scale the adapter reports. */
export interface ChannelStats {
  readonly channel: number;
  readonly samples: number;
  readonly min: number;
  readonly mean: number;
  readonly max: number;
  readonly scale: 'energy' | 'dBm';
}

export interface ChannelRecommendation {
  readonly channel: number;
  readonly reason: string;
}

/** ZigBee channel n is centred on 2405 + 5(n − 11) MHz, 2 MHz wide. */
export const zigbeeCentreMhz = (channel: number): number => 2405 + 5 * (channel - 11);
/** Wi-Fi 2.4 GHz channels 1–13 (UK/EU), centred on 2412 + 5(c − 1) MHz, about 22 MHz wide. */
export const wifiCentreMhz = (channel: number): number => 2412 + 5 * (channel - 1);

/** Wi-Fi channels whose 22 MHz band overlaps the ZigBee channel's 2 MHz band. */
export function wifiOverlap(zigbeeChannel: number): number[] {
  const centre = zigbeeCentreMhz(zigbeeChannel);
  const result: number[] = [];
  for (let wifi = 1; wifi <= 13; wifi++) if (Math.abs(wifiCentreMhz(wifi) - centre) < 11 + 1) result.push(wifi);
  return result;
}

/** Reduces repeated scans to min/mean/max per channel; the scale follows what the adapter reported. */
export function channelStats(scans: readonly EnergyScan[]): ChannelStats[] {
  const byChannel = new Map<number, { values: number[]; scale: 'energy' | 'dBm' }>();
  for (const scan of scans) {
    for (const reading of scan.channels) {
      const value = reading.energy ?? reading.rssi;
      if (value === null) continue;
      const scale = reading.energy !== null ? 'energy' : 'dBm';
      const entry = byChannel.get(reading.channel) ?? { values: [], scale };
      entry.values.push(value);
      byChannel.set(reading.channel, entry);
    }
  }
  return [...byChannel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([channel, { values, scale }]) => ({
      channel,
      samples: values.length,
      min: Math.min(...values),
      mean: Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10,
      max: Math.max(...values),
      scale,
    }));
}

/**
 * The quietest SE preferred channel: lowest worst-case (max) reading, then lowest mean, then fewest Wi-Fi overlaps.
 * The worst case leads because a burst of Wi-Fi traffic is what drops an IHD's messages, not the average.
 */
export function recommendChannel(stats: readonly ChannelStats[]): ChannelRecommendation | undefined {
  const candidates = stats.filter((s) => SE_PREFERRED_CHANNELS.includes(s.channel));
  if (candidates.length === 0) return undefined;
  const ranked = [...candidates].sort(
    (a, b) => a.max - b.max || a.mean - b.mean || wifiOverlap(a.channel).length - wifiOverlap(b.channel).length || a.channel - b.channel,
  );
  const best = ranked[0]!;
  const unit = best.scale === 'dBm' ? ' dBm' : '';
  const noisiest = [...stats].sort((a, b) => b.max - a.max)[0]!;
  const wifi = wifiOverlap(best.channel);
  const parts = [
    `Channel ${best.channel} is the quietest SE preferred channel (peak ${best.max}${unit}, mean ${best.mean}${unit} over ${best.samples} scan${best.samples === 1 ? '' : 's'})`,
    noisiest.channel !== best.channel ? `the busiest is channel ${noisiest.channel} (peak ${noisiest.max}${unit})` : undefined,
    wifi.length ? `it overlaps Wi-Fi channel${wifi.length > 1 ? 's' : ''} ${wifi.join(', ')}` : 'no Wi-Fi channel overlaps it',
  ];
  return { channel: best.channel, reason: `${parts.filter(Boolean).join('; ')}.` };
}

// ---- signal verdicts -------------------------------------------------------------------------------------------

export const SIGNAL_THRESHOLDS = {
  rssiStrongDbm: -60,
  rssiPoorDbm: -80,
  lqiStrong: 150,
  lqiPoor: 80,
} as const;

export type SignalVerdict = 'strong' | 'fair' | 'poor' | 'none';

/** A verdict on RSSI where the adapter reported it, otherwise on LQI (an RSSI is never derived from LQI). */
export function signalVerdict(signal: { readonly rssi: number | null; readonly lqi: number | null }): {
  verdict: SignalVerdict;
  basis: 'rssi' | 'lqi' | 'none';
} {
  const t = SIGNAL_THRESHOLDS;
  if (signal.rssi !== null) {
    return { verdict: signal.rssi >= t.rssiStrongDbm ? 'strong' : signal.rssi <= t.rssiPoorDbm ? 'poor' : 'fair', basis: 'rssi' };
  }
  if (signal.lqi !== null) return { verdict: signal.lqi >= t.lqiStrong ? 'strong' : signal.lqi <= t.lqiPoor ? 'poor' : 'fair', basis: 'lqi' };
  return { verdict: 'none', basis: 'none' };
}

/** What a verdict at a position means for the install (GB: a dual-band Comms Hub, or Alt HAN under SEC Section Z). */
export function verdictNote(verdict: SignalVerdict): string | undefined {
  if (verdict === 'poor')
    return 'Weak 2.4 GHz signal here: the premises may need a dual-band (868 MHz) Comms Hub; if that cannot reach either, Alt HAN (SEC Section Z).';
  if (verdict === 'none')
    return "The Comms Hub's network was not heard here: check a dual-band (868 MHz) hub; where no ZigBee HAN can reach, Alt HAN (SEC Section Z) applies.";
  return undefined;
}

// ---- beacons and positions -------------------------------------------------------------------------------------

/** A network heard in an active (beacon) scan, without joining it. */
export interface SurveyNetwork {
  readonly channel: number;
  readonly panId: number;
  /** 16 upper-case hex digits, most significant byte first (as printed on a Comms Hub). */
  readonly extendedPanId: string;
  readonly permitJoin: boolean;
  readonly routerCapacity: boolean;
  readonly deviceCapacity: boolean;
  readonly lqi: number | null;
  /** dBm, only where the adapter reports it. */
  readonly rssi: number | null;
  /** Short address of the beaconing device (0x0000: the coordinator). */
  readonly source?: number;
  readonly depth?: number;
  readonly stackProfile?: number;
}

/** The ID printed on a GB Comms Hub (GPF entity ID) is its HAN's extended PAN ID: 16 hex digits, any separators. */
export function normaliseHubId(text: string): string | undefined {
  const hex = text
    .replace(/[\s:-]/g, '')
    .replace(/^0x/i, '')
    .toUpperCase();
  return /^[0-9A-F]{16}$/.test(hex) ? hex : undefined;
}

export const surveyPositionPayload = z
  .object({
    position: z.string().trim().min(1, 'name the position').max(80, 'must be at most 80 characters'),
    hubId: z.string().regex(/^[0-9A-F]{16}$/),
    heard: z.boolean(),
    channel: z.number().int().min(11).max(26).optional(),
    panId: z.number().int().min(0).max(0xffff).optional(),
    lqi: z.number().int().min(0).max(255).nullable(),
    rssi: z.number().int().min(-128).max(127).nullable(),
    verdict: z.enum(['strong', 'fair', 'poor', 'none']),
    basis: z.enum(['rssi', 'lqi', 'none']),
    note: z.string().max(300).optional(),
    adapter: z.string().min(1).max(20),
  })
  .strict();
export type SurveyPosition = z.output<typeof surveyPositionPayload>;

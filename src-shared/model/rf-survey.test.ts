import { describe, expect, it } from 'vitest';
import { channelStats, normaliseHubId, recommendChannel, signalVerdict, verdictNote, wifiOverlap, type EnergyScan } from './rf-survey';

const scan = (energies: Record<number, number>, atMs = 0): EnergyScan => ({
  adapter: 'zstack',
  atMs,
  channels: Object.entries(energies).map(([channel, energy]) => ({ channel: Number(channel), energy, rssi: null })),
});

describe('RF survey rules', () => {
  it('lists the Wi-Fi channels (1-13) whose 22 MHz band overlaps each ZigBee channel', () => {
    expect(wifiOverlap(11)).toEqual([1]);
    expect(wifiOverlap(15)).toEqual([2, 3, 4, 5]);
    expect(wifiOverlap(20)).toEqual([7, 8, 9, 10]);
    expect(wifiOverlap(25)).toEqual([12, 13]);
    expect(wifiOverlap(26)).toEqual([13]);
  });

  it('reduces repeated scans to min/mean/max per channel on the scale the adapter used', () => {
    const stats = channelStats([scan({ 11: 10, 15: 100 }), scan({ 11: 30, 15: 200 }), scan({ 11: 20, 15: 150 })]);
    expect(stats).toEqual([
      { channel: 11, samples: 3, min: 10, mean: 20, max: 30, scale: 'energy' },
      { channel: 15, samples: 3, min: 100, mean: 150, max: 200, scale: 'energy' },
    ]);
    const ember = channelStats([{ adapter: 'ember', atMs: 0, channels: [{ channel: 11, energy: null, rssi: -90 }] }]);
    expect(ember[0]).toMatchObject({ scale: 'dBm', max: -90 });
  });

  it('recommends the quietest SE preferred channel and says why', () => {
    // Wi-Fi on channel 6 lights up ZigBee 16-20; 11 has one burst; 25 is quiet but 26 (not SE preferred) is quieter.
    const noisy = { 11: 40, 14: 60, 15: 70, 16: 180, 17: 190, 18: 200, 19: 210, 20: 190, 24: 50, 25: 20, 26: 5 };
    const stats = channelStats([scan(noisy), scan({ ...noisy, 11: 120 })]);
    const pick = recommendChannel(stats);
    expect(pick?.channel).toBe(25);
    expect(pick?.reason).toMatch(/Channel 25 is the quietest SE preferred channel \(peak 20, mean 20 over 2 scans\)/);
    expect(pick?.reason).toMatch(/busiest is channel 19 \(peak 210\)/);
    expect(pick?.reason).toMatch(/overlaps Wi-Fi channels 12, 13\.$/);
  });

  it('has no recommendation without SE preferred channels scanned', () => {
    expect(recommendChannel(channelStats([scan({ 12: 3, 26: 1 })]))).toBeUndefined();
  });

  it('judges signal on RSSI where reported, otherwise on LQI, never inventing RSSI', () => {
    expect(signalVerdict({ rssi: -60, lqi: 10 })).toEqual({ verdict: 'strong', basis: 'rssi' });
    expect(signalVerdict({ rssi: -70, lqi: 255 })).toEqual({ verdict: 'fair', basis: 'rssi' });
    expect(signalVerdict({ rssi: -80, lqi: 255 })).toEqual({ verdict: 'poor', basis: 'rssi' });
    expect(signalVerdict({ rssi: null, lqi: 150 })).toEqual({ verdict: 'strong', basis: 'lqi' });
    expect(signalVerdict({ rssi: null, lqi: 81 })).toEqual({ verdict: 'fair', basis: 'lqi' });
    expect(signalVerdict({ rssi: null, lqi: 80 })).toEqual({ verdict: 'poor', basis: 'lqi' });
    expect(signalVerdict({ rssi: null, lqi: null })).toEqual({ verdict: 'none', basis: 'none' });
  });

  it('notes dual-band or Alt HAN only where the signal is poor or absent', () => {
    expect(verdictNote('strong')).toBeUndefined();
    expect(verdictNote('poor')).toMatch(/dual-band \(868 MHz\).*Alt HAN \(SEC Section Z\)/);
    expect(verdictNote('none')).toMatch(/Alt HAN/);
  });

  it("reads a hub's printed ID with or without separators", () => {
    expect(normaliseHubId('00:0d:6f:00:0a:1b:2c:3d')).toBe('000D6F000A1B2C3D');
    expect(normaliseHubId('000D 6F00 0A1B 2C3D')).toBe('000D6F000A1B2C3D');
    expect(normaliseHubId('000D6F000A1B2C')).toBeUndefined();
  });
});

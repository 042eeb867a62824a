import { describe, expect, it } from 'vitest';
import { SLStatus } from 'zigbee-herdsman/dist/adapter/ember/enums';
import { Ezsp } from 'zigbee-herdsman/dist/adapter/ember/ezsp/ezsp';
import { AdapterTransport } from 'zigbee-herdsman/dist/adapter/transport';
import { ENERGY_RESULT_FRAMES, EZSP_PROTOCOL, SCAN_COMPLETE_FAILED, SCAN_COMPLETE_OK, START_SCAN_ARGS } from './__vectors__/ezsp-energy-scan';
import { emberEnergyScan } from './ember-energy-scan';

/** herdsman's own EZSP layer (never opened: frames are handed to its callback decoder as the ASH layer would). */
function ezspWithFrames(frames: readonly string[]): { ezsp: Ezsp; calls: unknown[][] } {
  const ezsp = new Ezsp(new AdapterTransport({ path: 'tcp://127.0.0.1:9' }));
  ezsp.setProtocolVersion(EZSP_PROTOCOL);
  const internals = ezsp as unknown as {
    callbackFrameContents: Buffer;
    callbackFrameLength: number;
    callbackBuffalo: unknown;
    validateReceivedFrame(buffalo: unknown): number;
    callbackDispatch(): void;
  };
  const deliver = (hex: string): void => {
    const frame = Buffer.from(hex.replace(/\s/g, ''), 'hex');
    frame.copy(internals.callbackFrameContents);
    internals.callbackFrameLength = frame.length;
    if (internals.validateReceivedFrame(internals.callbackBuffalo) === 0) internals.callbackDispatch();
  };
  const calls: unknown[][] = [];
  ezsp.ezspStartScan = (scanType, channelMask, duration) => {
    calls.push([scanType, channelMask, duration]);
    setImmediate(() => frames.forEach(deliver));
    return Promise.resolve(SLStatus.OK);
  };
  return { ezsp, calls };
}

describe('Ember energy scan (EZSP startScan, recorded callback frames)', () => {
  it('asks for an energy scan of the channels and reports each channel’s max RSSI in dBm', async () => {
    const { ezsp, calls } = ezspWithFrames([...ENERGY_RESULT_FRAMES, SCAN_COMPLETE_OK]);
    const originalHandler = ezsp.ezspEnergyScanResultHandler;
    const readings = await emberEnergyScan(ezsp, [25, 11, 20, 15], START_SCAN_ARGS.duration);
    expect(calls).toEqual([[START_SCAN_ARGS.scanType, START_SCAN_ARGS.channelMask, START_SCAN_ARGS.duration]]);
    expect(readings).toEqual([
      { channel: 11, energy: null, rssi: -82 },
      { channel: 15, energy: null, rssi: -45 },
      { channel: 20, energy: null, rssi: -60 },
      { channel: 25, energy: null, rssi: -91 },
    ]);
    // herdsman's own handlers are back once the scan is over.
    expect(ezsp.ezspEnergyScanResultHandler).toBe(originalHandler);
  });

  it('reports a channel the NCP could not scan', async () => {
    const { ezsp } = ezspWithFrames([ENERGY_RESULT_FRAMES[0]!, SCAN_COMPLETE_FAILED]);
    await expect(emberEnergyScan(ezsp, [11, 15], 3)).rejects.toThrow(/could not scan channel 15/);
  });

  it('reports a refused scan request', async () => {
    const { ezsp } = ezspWithFrames([]);
    ezsp.ezspStartScan = () => Promise.resolve(SLStatus.INVALID_STATE);
    await expect(emberEnergyScan(ezsp, [11], 3)).rejects.toThrow(/refused the energy scan/);
  });
});

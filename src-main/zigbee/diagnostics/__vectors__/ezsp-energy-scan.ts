/**
 * EZSP callback frames of an energy scan, as an EmberZNet NCP sends them to the host (UG100, extended frame format,
 * protocol 13): Sequence | FrameControl lo, hi | FrameId lo, hi | parameters. Frame control 0x0190 = response
 * (0x80) + asynchronous callback (0x10), frame format version 1. These are laid out from the specification: no
 * Ember dongle was available to capture them, so the Ember scan stays "untested on hardware".
 */
export const EZSP_PROTOCOL = 13;

/** startScan(EZSP_ENERGY_SCAN = 0, mask 0x02108800 = channels 11, 15, 20, 25, duration 3). */
export const START_SCAN_ARGS = { scanType: 0, channelMask: 0x02108800, duration: 3 } as const;

export const ENERGY_RESULT_FRAMES: readonly string[] = [
  '2a 9001 4800 0b ae', // energyScanResultHandler (0x0048): channel 11, maxRssiValue 0xAE = -82 dBm
  '2b 9001 4800 0f d3', // channel 15, -45 dBm (a busy Wi-Fi channel 2-5 next door)
  '2c 9001 4800 14 c4', // channel 20, -60 dBm
  '2d 9001 4800 19 a5', // channel 25, -91 dBm
];

/** scanCompleteHandler (0x001C): channel 25, status 0x00 (OK; one byte before protocol 14). */
export const SCAN_COMPLETE_OK = '2e 9001 1c00 19 00';
/** scanCompleteHandler: channel 15 failed with EMBER_MAC_SCANNING (0x3D), mapped by herdsman to an SLStatus. */
export const SCAN_COMPLETE_FAILED = '2e 9001 1c00 0f 3d';

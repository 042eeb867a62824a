import { amberGetProbe, imstPingProbe } from '../mbus/wireless/sticks/stick-probes';
import type { DongleProbe } from './probe';

/**
 * Z-Stack: MT SYS_PING. Request FE 00 21 01 20 (SOF, length 0, SREQ|SYS, PING, FCS = XOR of length and command
 * bytes); the answer is the SRSP FE 02 61 01 <capabilities LE> FCS.
 */
export const zstackPingProbe: DongleProbe = {
  name: 'Z-Stack SYS_PING',
  serial: { baudRate: 115200 },
  request: Uint8Array.of(0xfe, 0x00, 0x21, 0x01, 0x20),
  timeoutMs: 1000,
  recognise(received) {
    for (let i = 0; i + 6 < received.length; i++) {
      if (received[i] !== 0xfe || received[i + 1] !== 0x02 || received[i + 2] !== 0x61 || received[i + 3] !== 0x01) continue;
      const fcs = received[i + 1]! ^ received[i + 2]! ^ received[i + 3]! ^ received[i + 4]! ^ received[i + 5]!;
      if (fcs === received[i + 6])
        return `Z-Stack coordinator (capabilities 0x${received
          .readUInt16LE(i + 4)
          .toString(16)
          .padStart(4, '0')})`;
    }
    return undefined;
  },
};

/** Every active probe, in the order they are tried. */
export const dongleProbes: readonly DongleProbe[] = [zstackPingProbe, amberGetProbe, imstPingProbe];

import type { DongleProbe } from '../../../discovery/probe';
import { crc16X25Of, encodeHci, HCI } from './imst';
import { AMBER, encodeAmber } from './amber';

/**
 * Amber AMB8465/AMB3665: GET of 0x80 parameter bytes from address 0 (`FF 0A 02 00 80 77`). The confirmation
 * `FF 8A LEN …` with a valid XOR checksum identifies the stick; LEN 0x7A is the 8465, 0x82 the 3665.
 */
export const amberGetProbe: DongleProbe = {
  name: 'Amber GET',
  serial: { baudRate: 9600 },
  request: encodeAmber(AMBER.GET, Uint8Array.of(0x00, 0x80)),
  timeoutMs: 1000,
  recognise(received) {
    for (let i = 0; i + 3 < received.length; i++) {
      if (received[i] !== 0xff || received[i + 1] !== (AMBER.GET | 0x80)) continue;
      const len = received[i + 2]!;
      if (i + 3 + len >= received.length) return undefined;
      let cs = 0;
      for (let j = i; j < i + 3 + len; j++) cs ^= received[j]!;
      if (cs !== received[i + 3 + len]) continue;
      return len === 0x7a ? 'Amber AMB8465 wM-Bus stick (868 MHz)' : len === 0x82 ? 'Amber AMB3665 wM-Bus stick (169 MHz)' : 'Amber wM-Bus stick';
    }
    return undefined;
  },
};

/** IMST iM871A/iM170A: DEVMGMT PING; the PING_RSP with a valid CRC identifies the module. */
export const imstPingProbe: DongleProbe = {
  name: 'iM871A PING',
  serial: { baudRate: 57600 },
  request: encodeHci(HCI.DEVMGMT, HCI.PING_REQ),
  timeoutMs: 1000,
  recognise(received) {
    for (let i = 0; i + 5 < received.length; i++) {
      if (received[i] !== HCI.SOF || (received[i + 1]! & 0x0f) !== HCI.DEVMGMT || received[i + 2] !== HCI.PING_RSP) continue;
      const len = received[i + 3]!;
      const end = i + 4 + len + 2;
      if (end > received.length) return undefined;
      const crc = crc16X25Of(received.subarray(i + 1, end - 2));
      if (crc === (received[end - 2]! | (received[end - 1]! << 8))) return 'IMST iM871A wM-Bus module';
    }
    return undefined;
  },
};

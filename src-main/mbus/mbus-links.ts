import type { LinkTarget } from '../link/device-link';
import { parseTcpTarget } from '../link/create-link';

/** Line settings per device family: wired M-Bus is 8E1 (even parity!), the radio sticks are 8N1. */
export const LINE_SETTINGS = {
  /** Wired M-Bus level converters: 2400 Bd 8E1 is the de-facto default; 300–38400 are allowed. */
  mbus: { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 },
  amber: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  imst: { baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1 },
} as const;

export const MBUS_BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400] as const;

/**
 * Where a wired master or a stick is: "tcp://host:port" / "host:port" (M-Bus-to-Ethernet gateways, sticks behind
 * serial servers) or a serial port path with the family's line settings (the baud rate can be overridden).
 */
export function mbusLinkTarget(input: string, family: keyof typeof LINE_SETTINGS, baudRate?: number): LinkTarget {
  const tcp = parseTcpTarget(input);
  if (tcp) return tcp;
  const path = input.trim();
  if (path.length === 0) throw new RangeError('give a serial port path or tcp://host:port');
  const line = LINE_SETTINGS[family];
  if (baudRate !== undefined && family === 'mbus' && !(MBUS_BAUD_RATES as readonly number[]).includes(baudRate)) {
    throw new RangeError(`wired M-Bus speeds are ${MBUS_BAUD_RATES.join(', ')} Bd`);
  }
  return { kind: 'serial', path, baudRate: baudRate ?? line.baudRate, dataBits: line.dataBits, parity: line.parity, stopBits: line.stopBits };
}

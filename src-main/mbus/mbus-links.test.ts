import { describe, expect, it } from 'vitest';
import { mbusLinkTarget } from './mbus-links';

describe('M-Bus link targets', () => {
  it('defaults wired M-Bus serial ports to 2400 8E1', () => {
    expect(mbusLinkTarget('/dev/ttyUSB0', 'mbus')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 });
  });
  it('lets the baud rate be chosen among the M-Bus speeds', () => {
    expect(mbusLinkTarget('COM3', 'mbus', 9600)).toMatchObject({ baudRate: 9600, parity: 'even' });
    expect(() => mbusLinkTarget('COM3', 'mbus', 57600)).toThrow(/speeds/);
  });
  it('uses 8N1 for the sticks and TCP for gateways', () => {
    expect(mbusLinkTarget('/dev/ttyUSB1', 'amber')).toMatchObject({ baudRate: 9600, parity: 'none' });
    expect(mbusLinkTarget('/dev/ttyUSB1', 'imst')).toMatchObject({ baudRate: 57600 });
    expect(mbusLinkTarget('tcp://10.0.0.5:10001', 'mbus')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 10001 });
  });
});

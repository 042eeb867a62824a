import { describe, expect, it } from 'vitest';
import { classifyUsbDevice } from './classify';

describe('classifyUsbDevice', () => {
  it('identifies a product-specific coordinator by VID:PID alone', () => {
    const c = classifyUsbDevice({ vendorId: '0451', productId: '16a8' });
    expect(c).toMatchObject({ kind: 'zigbee-coordinator', certainty: 'identified', driver: 'zstack' });
    expect(c.label).toContain('CC2531');
  });

  it('identifies the IMST iM871A wM-Bus stick', () => {
    expect(classifyUsbDevice({ vendorId: '10C4', productId: '87ED' })).toMatchObject({ kind: 'wmbus-stick', driver: 'imst', certainty: 'identified' });
  });

  it('reports a bare FTDI 0403:6001 as a serial device that could be several products', () => {
    const c = classifyUsbDevice({ vendorId: '0403', productId: '6001', manufacturer: 'FTDI' });
    expect(c.kind).toBe('serial-device');
    expect(c.certainty).toBe('possible');
    expect(c.label).toMatch(/^serial device: could be /);
    expect(c.candidates).toContain('Amber AMB8465 wM-Bus stick');
    expect(c.driver).toBeUndefined();
  });

  it('narrows a shared CP210x by its strings, but only to "likely"', () => {
    const sonoffP = classifyUsbDevice({
      vendorId: '10c4',
      productId: 'ea60',
      manufacturer: 'ITEAD',
      path: '/dev/serial/by-id/usb-ITEAD_SONOFF_Zigbee_3.0_USB_Dongle_Plus_0001-if00-port0',
    });
    expect(sonoffP).toMatchObject({ kind: 'zigbee-coordinator', driver: 'zstack', certainty: 'likely' });
    const skyConnect = classifyUsbDevice({ vendorId: '10c4', productId: 'ea60', manufacturer: 'Nabu Casa', product: 'SkyConnect v1.0' });
    expect(skyConnect).toMatchObject({ driver: 'ember', certainty: 'likely' });
  });

  it('recognises an Amber stick by its product string on the shared FTDI id', () => {
    expect(classifyUsbDevice({ vendorId: '0403', productId: '6001', product: 'AMB8465-M' })).toMatchObject({ kind: 'wmbus-stick', driver: 'amber' });
  });

  it('accepts 0x-prefixed and short ids', () => {
    expect(classifyUsbDevice({ vendorId: '0x451', productId: '0x16a8' }).driver).toBe('zstack');
  });

  it('treats a port without USB identity as an unidentified serial device', () => {
    expect(classifyUsbDevice({ path: '/dev/ttyS0' })).toMatchObject({ kind: 'serial-device', certainty: 'possible', candidates: [] });
  });
});

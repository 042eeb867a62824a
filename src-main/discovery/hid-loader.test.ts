import { afterEach, describe, expect, it } from 'vitest';
import { loadHid, resetHidLoader } from './hid-loader';

describe('loadHid', () => {
  afterEach(() => resetHidLoader());

  it('says HID is unavailable, and why, when libusb cannot be loaded', async () => {
    const { module, availability } = await loadHid(async () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory');
    });
    expect(module).toBeUndefined();
    expect(availability.available).toBe(false);
    expect(availability.reason).toMatch(/libusb-1.0 is not installed.*apt-get install libusb-1.0-0/);
  });

  it('uses the module when it loads', async () => {
    const { availability, module } = await loadHid(async () => ({ devicesAsync: async () => [] }));
    expect(availability.available).toBe(true);
    expect(await module!.devicesAsync()).toEqual([]);
  });
});

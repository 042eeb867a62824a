import { describe, expect, it } from 'vitest';
import { decodeFormatting, formatSummation, seDeviceType, unitName } from './metering';

describe('metering presentation', () => {
  it('scales by multiplier and divisor and keeps the digits right of the point', () => {
    expect(formatSummation(12_345_678, 1, 1000, 0x2b)).toEqual({ value: 12345.678, text: '12345.678' });
  });
  it('pads to the digits left of the point unless leading zeros are suppressed', () => {
    expect(formatSummation(1_234_567, 1, 1000, 0x33).text).toBe('001234.567');
    expect(formatSummation(1_234_567, 1, 1000, 0xb3).text).toBe('1234.567');
  });
  it('applies a multiplier and zero right digits', () => {
    expect(formatSummation(250, 4, 10, 0x28)).toEqual({ value: 100, text: '00100' });
  });
  it('decodes the formatting byte fields', () => {
    expect(decodeFormatting(0xab)).toEqual({ right: 3, left: 5, suppressLeadingZeros: true });
  });
  it('names units from UnitOfMeasure', () => {
    expect(unitName(0)).toBe('kWh');
    expect(unitName(1)).toBe('m³');
    expect(unitName(0x81)).toBe('m³');
    expect(unitName(0x7e)).toBe('unit 0x7e');
  });
  it('recognises SE device ids only on the SE profile', () => {
    expect(seDeviceType(0x0109, 0x0502)).toBe('IHD');
    expect(seDeviceType(0x0109, 0x0501)).toBe('Metering');
    expect(seDeviceType(0x0104, 0x0502)).toBe('Unknown');
  });
});

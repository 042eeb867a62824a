/**
 * Smart Energy Metering presentation (SE 1.2 §D.3.2.2.4; zigpy/zha get_formatting): value = raw × Multiplier ÷
 * Divisor; the formatting byte gives digits right of the point (bits 0–2), digits left (bits 3–6) and bit 7
 * "suppress leading zeros"; UnitOfMeasure names the unit.
 */

const UNITS: Record<number, string> = {
  0x00: 'kWh',
  0x01: 'm³',
  0x02: 'ft³',
  0x03: 'ccf',
  0x04: 'US gal',
  0x05: 'IMP gal',
  0x06: 'BTU',
  0x07: 'l',
  0x08: 'kPa',
  0x09: 'kPa',
  0x0a: 'mcf',
  0x0b: '',
  0x0c: 'MJ',
};

/** The unit for a UnitOfMeasure value; the top bit (BCD form) is ignored. */
export function unitName(unitOfMeasure: number): string {
  return UNITS[unitOfMeasure & 0x7f] ?? `unit 0x${unitOfMeasure.toString(16)}`;
}

export interface Formatting {
  readonly right: number;
  readonly left: number;
  readonly suppressLeadingZeros: boolean;
}

export function decodeFormatting(byte: number): Formatting {
  return { right: byte & 0x07, left: (byte >> 3) & 0x0f, suppressLeadingZeros: (byte & 0x80) !== 0 };
}

/** Scales a raw summation and renders it with the meter's formatting (e.g. raw 12345678 Wh, ÷1000, 0x2B → "12345.678"). */
export function formatSummation(raw: number, multiplier: number, divisor: number, formattingByte: number): { value: number; text: string } {
  const value = (raw * (multiplier || 1)) / (divisor || 1);
  const f = decodeFormatting(formattingByte);
  const fixed = value.toFixed(f.right);
  const [whole, fraction] = fixed.split('.');
  const padded = f.suppressLeadingZeros || f.left === 0 ? whole! : whole!.padStart(f.left, '0');
  return { value, text: fraction !== undefined ? `${padded}.${fraction}` : padded };
}

/** GB device type from the SE device id in the simple descriptor. */
export function seDeviceType(profileId: number | undefined, deviceId: number | undefined): 'ESME' | 'GSME' | 'IHD' | 'PPMID' | 'Metering' | 'Unknown' {
  if (profileId !== 0x0109) return 'Unknown';
  switch (deviceId) {
    case 0x0501:
      return 'Metering';
    case 0x0502:
      return 'IHD';
    case 0x0506:
      return 'PPMID';
    default:
      return 'Unknown';
  }
}

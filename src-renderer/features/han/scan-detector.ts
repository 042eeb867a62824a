/**
 * Tells a keyboard-wedge barcode scanner from a person typing: a scanner "types" the whole label with only a few
 * milliseconds between keys and ends with Enter. People rarely type faster than ~50 ms per key.
 */
export interface ScanDetector {
  /** Feeds one key; returns true when it completed a scan (the caller then suppresses the Enter). */
  key(key: string, atMs: number): boolean;
}

export function createScanDetector(options: { onScan: (text: string) => void; maxGapMs?: number; minLength?: number }): ScanDetector {
  const maxGap = options.maxGapMs ?? 35;
  const minLength = options.minLength ?? 12;
  let buffer = '';
  let last = -Infinity;
  return {
    key(key, atMs) {
      if (key === 'Enter') {
        const text = buffer;
        const fast = atMs - last <= maxGap * 3;
        buffer = '';
        if (text.length >= minLength && fast) {
          options.onScan(text);
          return true;
        }
        return false;
      }
      if (key.length !== 1) return false;
      if (atMs - last > maxGap) buffer = '';
      buffer += key;
      last = atMs;
      return false;
    },
  };
}

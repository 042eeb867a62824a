import { describe, expect, it } from 'vitest';
import { createScanDetector } from './scan-detector';

const LABEL = 'Z:00124B0001ABCDEF$I:83FED3407A939723A5C639B26916D505C3B5';

function feed(text: string, gapMs: number, start = 1000): { scans: string[]; consumed: boolean } {
  const scans: string[] = [];
  const detector = createScanDetector({ onScan: (t) => scans.push(t) });
  let at = start;
  for (const ch of text) detector.key(ch, (at += gapMs));
  const consumed = detector.key('Enter', (at += gapMs));
  return { scans, consumed };
}

describe('keyboard-wedge scan detector', () => {
  it('recognises a label typed at scanner speed and ending in Enter', () => {
    expect(feed(LABEL, 4)).toEqual({ scans: [LABEL], consumed: true });
  });
  it('ignores a person typing the same text', () => {
    expect(feed(LABEL, 120)).toEqual({ scans: [], consumed: false });
  });
  it('ignores short fast bursts (key repeat, shortcuts)', () => {
    expect(feed('aaaa', 3)).toEqual({ scans: [], consumed: false });
  });
  it('starts again after a pause, so earlier slow keys are not part of the scan', () => {
    const scans: string[] = [];
    const detector = createScanDetector({ onScan: (t) => scans.push(t) });
    detector.key('x', 0);
    detector.key('y', 400);
    let at = 1000;
    for (const ch of LABEL) detector.key(ch, (at += 5));
    detector.key('Shift', at);
    expect(detector.key('Enter', at + 5)).toBe(true);
    expect(scans).toEqual([LABEL]);
  });
});

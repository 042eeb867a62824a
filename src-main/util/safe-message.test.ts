import { describe, expect, it } from 'vitest';
import { safeMessage } from './safe-message';

describe('safeMessage', () => {
  it('keeps only the last component of absolute paths, POSIX, file: and Windows', () => {
    expect(safeMessage("EACCES: permission denied, open '/home/eng/.config/han/mbus-keys.json'")).toBe("EACCES: permission denied, open '…/mbus-keys.json'");
    expect(safeMessage('cannot read file:///home/eng/han/dcc/connection.json now')).toBe('cannot read …/connection.json now');
    expect(safeMessage('ENOENT C:\\Users\\eng\\AppData\\han\\secret.key')).toBe('ENOENT …\\secret.key');
    expect(safeMessage('(/var/lib/han/jobs/J1.jsonl)')).toBe('(…/J1.jsonl)');
  });

  it('drops the stack and keeps the first line', () => {
    const error = new Error('listener failed at /srv/han/dcc/direct');
    const text = safeMessage(String(error.stack));
    expect(text).toBe('Error: listener failed at …/direct');
    expect(text).not.toMatch(/\sat\s.*\.ts:\d+/);
  });

  it('leaves URLs, relative paths, ports and RequestIDs alone', () => {
    expect(safeMessage('no reply from https://dcc.example/api/v1/services (RequestID 90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1)')).toBe(
      'no reply from https://dcc.example/api/v1/services (RequestID 90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1)',
    );
    expect(safeMessage('connect ECONNREFUSED 127.0.0.1:8443')).toBe('connect ECONNREFUSED 127.0.0.1:8443');
    expect(safeMessage('mbus/keys are 1/2 done')).toBe('mbus/keys are 1/2 done');
  });

  it('removes control characters and caps the length', () => {
    expect(safeMessage('bad\u0007bell\u001b[31m')).toBe('bad bell [31m');
    expect(safeMessage('x'.repeat(400))).toHaveLength(301);
    expect(safeMessage('x'.repeat(400), 500)).toHaveLength(400);
  });
});

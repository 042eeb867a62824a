import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.test-support';
import { mpanCommand } from './mpan-command';
import { printable, runCli } from './run-cli';

describe('hantool never echoes control characters', () => {
  it('shows an escape sequence in an argument as text, not as a terminal command', async () => {
    const io = captureIo();
    const code = await runCli(['\u001b]0;pwned\u0007\u001b[2J'], [mpanCommand], io);
    expect(code).toBe(2);
    const all = [...io.stdout, ...io.stderr].join('');
    // eslint-disable-next-line no-control-regex -- asserting no control character reached the terminal
    expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(all).toContain('\\x1b]0;pwned\\x07');
  });

  it('also in messages that quote an argument', async () => {
    const io = captureIo();
    await runCli(['mpan', '12\u001b[31m345'], [mpanCommand], io);
    expect([...io.stdout, ...io.stderr].join('')).not.toContain('\u001b');
    expect(printable('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
  });

  it('keeps CRLF line ends (CSV output) but shows a lone CR, which would rewrite the line', () => {
    expect(printable('a,b\r\n1,2\r\n')).toBe('a,b\r\n1,2\r\n');
    expect(printable('safe\rfake')).toBe('safe\\x0dfake');
  });
});

import { createHash } from 'node:crypto';

/**
 * One crash class per (error type, first frame in our code, message shape): the same bug reached by a
 * thousand inputs is one finding, with numbers and quoted values in its message ignored.
 */
export function crashSignature(error: Error): string {
  const frame =
    (error.stack ?? '')
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.startsWith('at ') && !line.includes('node_modules') && !line.includes('node:') && !line.includes('/fuzz/')) ?? '';
  const place = /([\w.-]+\.ts):(\d+)/.exec(frame)?.slice(1, 3).join(':') ?? frame;
  const shape = error.message
    .replace(/0x[0-9a-f]+|\d+/gi, 'N')
    .replace(/(["'`]).*?\1/g, '"…"')
    .slice(0, 120);
  return createHash('sha256').update(`${error.name}|${place}|${shape}`).digest('hex').slice(0, 12);
}

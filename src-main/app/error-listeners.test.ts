import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * An EventEmitter that emits 'error' with no listener throws, and in main that ends the process (HAN, DCC and
 * M-Bus with it). Like the lint boundaries, this is a rule over the source: every socket, server, serial port,
 * child process, stream or worker main creates and names gets a persistent `.on('error', …)` in the same file
 * (`.once` only guards the moment it is attached for), and every connection a server accepts does too.
 */
const CREATORS = [
  'createServer',
  'createHttpServer',
  'createHttpsServer',
  'createConnection',
  'createSocket',
  'createReadStream',
  'createWriteStream',
  'spawn',
  'fork',
  'execFile',
  'new Socket',
  'new Server',
  'new SerialPort',
  'new WebSocket',
  'new WebSocketServer',
  'new Worker',
];
const creation = new RegExp(
  `(?:const|let)\\s+(\\w+)(?:\\s*:\\s*[\\w.<>]+)?\\s*=\\s*(?:await\\s+)?(?:options\\.tls\\s*\\?\\s*)?(?:${CREATORS.join('|')})\\(`,
  'g',
);
const accepted = /(?:createServer|on\('connection',)\s*\(\s*\(?(\w+)(?:\s*:\s*\w+)?\)?\s*=>/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.includes('test-support') ? [path] : [];
  });
}

/** `name.on('error'` (or a `socket.on('error'`-style listener on the same name) somewhere in the file. */
function hasErrorListener(source: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s*\\.on\\(\\s*['"]error['"]`).test(source);
}

export function emittersWithoutErrorListener(source: string): string[] {
  const missing: string[] = [];
  for (const pattern of [creation, accepted]) {
    for (const match of source.matchAll(pattern)) if (!hasErrorListener(source, match[1]!)) missing.push(match[1]!);
  }
  return missing;
}

describe('error listeners in main', () => {
  it('finds an emitter without one (the rule fires)', () => {
    expect(emittersWithoutErrorListener("const server = createServer((socket) => socket.on('error', f));\nserver.once('error', reject);")).toEqual(['server']);
    expect(emittersWithoutErrorListener("const s = createServer((socket) => socket.write('x'));\ns.on('error', f);")).toEqual(['socket']);
    expect(emittersWithoutErrorListener("const port = new SerialPort({ path });\nport.on('error', f);")).toEqual([]);
  });

  it('has an error listener on every socket, server, port, process and stream main creates', () => {
    const root = join(process.cwd(), 'src-main');
    const offenders = sourceFiles(root)
      .map((file) => ({ file: relative(process.cwd(), file), missing: emittersWithoutErrorListener(readFileSync(file, 'utf8')) }))
      .filter(({ missing }) => missing.length > 0);
    expect(offenders).toEqual([]);
  });
});

import { parseFrame } from '../wired-frame';
import type { VirtualSlave } from './virtual-slave';

/**
 * The shared two-wire bus. Slaves signal a 0 by drawing more current, so when several answer at once every bit
 * that any of them pulls low reads 0: the bytes AND together. Identical replies (E5 from two slaves) therefore
 * overlay cleanly, and different telegrams come out garbled — which is exactly what a real master sees.
 */
export class VirtualBus {
  readonly slaves: VirtualSlave[];

  constructor(slaves: VirtualSlave[]) {
    this.slaves = slaves;
  }

  /** Feeds master bytes; returns what the master hears back plus how many input bytes were consumed. */
  transfer(input: Uint8Array): { reply: Uint8Array; consumed: number } {
    let pos = 0;
    const replies: Uint8Array[] = [];
    while (pos < input.length) {
      const parsed = parseFrame(input, pos);
      if (parsed.status === 'incomplete') break;
      if (parsed.status === 'error') {
        pos += 1; // line noise: slaves ignore bytes until a valid frame starts
        continue;
      }
      pos += parsed.length;
      const answers = this.slaves.map((s) => s.handle(parsed.frame)).filter((r): r is Uint8Array => r !== undefined);
      if (answers.length > 0) replies.push(overlay(answers));
    }
    return { reply: Buffer.concat(replies), consumed: pos };
  }
}

export function overlay(answers: readonly Uint8Array[]): Uint8Array {
  const length = Math.max(...answers.map((a) => a.length));
  const out = new Uint8Array(length).fill(0xff); // idle line = mark = 1
  for (const answer of answers) for (let i = 0; i < answer.length; i++) out[i] &= answer[i]!;
  return out;
}

/** Serves the bus on one end of an in-memory link pair (unit tests without sockets). */
export function serveBusOnLink(bus: VirtualBus, link: { onData(l: (chunk: Buffer) => void): () => void; write(data: Uint8Array): Promise<void> }): () => void {
  let pending = Buffer.alloc(0);
  return link.onData((chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const { reply, consumed } = bus.transfer(pending);
    pending = pending.subarray(consumed);
    if (reply.length > 0) void link.write(reply);
  });
}

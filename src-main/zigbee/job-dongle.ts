import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ADAPTER_CAPABILITIES, type HanAdapterType } from '../../src-shared/model/han-adapters';
import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';

/**
 * The dongle a job's network last ran on (`han/<jobId>/dongle.json`), so a visit step retried after a restart
 * (form the network, join, read…) resumes that job's network on the same coordinator without the engineer
 * choosing it again on the HAN screen. The training premises' own coordinator is never remembered: its port
 * changes every run and it is the default anyway.
 */
const FILE = 'dongle.json';
const schema = z
  .object({ adapter: z.enum(Object.keys(ADAPTER_CAPABILITIES) as [HanAdapterType, ...HanAdapterType[]]), path: z.string().min(1).max(500) })
  .strict();

export interface JobDongle {
  readonly adapter: HanAdapterType;
  readonly path: string;
}

export function readJobDongle(jobDir: string): JobDongle | undefined {
  const text = readFileIfExists(join(jobDir, FILE));
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a damaged file is the same as none: the engineer chooses the dongle again
  }
}

export function writeJobDongle(jobDir: string, dongle: JobDongle): void {
  mkdirSync(jobDir, { recursive: true });
  writeFileAtomicSync(join(jobDir, FILE), JSON.stringify({ adapter: dongle.adapter, path: dongle.path }) + '\n');
}

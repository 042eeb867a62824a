import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { combineKeyStores, folderKeyStore, zaz1KeyStore, type GbcsKeyStore } from './keys';

/**
 * The GBCS test data in ../shared/data/gbcs (read its README): the DCC Reference Test Data Set 4.5.0 with its
 * keystore, three DCC Boxed captures and the GBCS 18.4 vector. For tests, the fuzz test and the benchmark only.
 */
export const GBCS_DATA_DIR = join(import.meta.dirname, '../../../../shared/data/gbcs');
export const RTDS_DIR = join(GBCS_DATA_DIR, 'rtds/RTDS-4.5.0');
export const RTDS_KEYSTORE = join(GBCS_DATA_DIR, 'rtds/keystore');

export interface RtdsMessage {
  /** `<SR>_<use case>/<file>` */
  readonly name: string;
  readonly kind: 'COMMAND' | 'PRECOMMAND' | 'RESPONSE' | 'ALERT';
  readonly bytes: Buffer;
}

export function readHexText(text: string): Buffer {
  return Buffer.from(text.replace(/\s/g, ''), 'hex');
}

let corpus: RtdsMessage[] | undefined;

export function loadRtds(): readonly RtdsMessage[] {
  if (corpus) return corpus;
  corpus = [];
  for (const folder of readdirSync(RTDS_DIR).sort())
    for (const file of readdirSync(join(RTDS_DIR, folder)).sort()) {
      const kind = /_(PRECOMMAND|COMMAND|RESPONSE|ALERT)(?:_[A-Z_]+)?_GBCS\.HEX$/.exec(file)?.[1] ?? /_(ALERT)_/.exec(file)?.[1];
      if (!kind) throw new Error(`RTDS file of unknown kind: ${file}`);
      corpus.push({ name: `${folder}/${file}`, kind: kind as RtdsMessage['kind'], bytes: readHexText(readFileSync(join(RTDS_DIR, folder, file), 'utf8')) });
    }
  return corpus;
}

export function rtdsMessage(name: string): Buffer {
  const found = loadRtds().find((m) => m.name === name || m.name.endsWith('/' + name));
  if (!found) throw new Error(`no RTDS message ${name}`);
  return found.bytes;
}

/** The RTDS keystore plus the ZAZ1 organisations' keys (what a DCC Boxed test User holds). */
export function rtdsKeys(): GbcsKeyStore {
  return combineKeyStores([folderKeyStore([RTDS_KEYSTORE]), zaz1KeyStore()]);
}

import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../store/atomic-file';
import { checkDeviceCertificate, USAGE_NAME } from './device-certificate-check';
import { compactEui, toDuisEui } from './eui';
import { keyStoreOf, type GbcsKeyStore, type KeyUsage } from './gbcs/keys';
import { fetchDeviceCertificates, type SmkiEndpoint } from './smki-client';

/**
 * Device certificates fetched from SMKI, kept in their own folder (`<data>/dcc/device-certificates/smki`,
 * `<eui>-ka.pem` / `<eui>-ds.pem`, written atomically) only once they pass the SMKI Device CA check, and checked
 * again each time they are read (a certificate expires, the engineer changes the Device CA). One that fails is
 * never used; why it failed travels with the key store, so the verdict "unknown" says it.
 */
export const SMKI_CACHE_FOLDER = 'smki';
const USAGES: readonly KeyUsage[] = ['ka', 'ds'];
const CACHE_FILE = /^([0-9a-f]{16})-(ka|ds)\.pem$/;

/** Why a device's certificate of one usage is not used, keyed `<eui lower-case>-<usage>`. */
export type CertificateProblems = Map<string, string>;
const problemKey = (eui: string, usage: KeyUsage): string => `${compactEui(eui).toLowerCase()}-${usage}`;

type Read = { readonly certificate: X509Certificate } | { readonly problem: string } | undefined;

function readChecked(dir: string, eui: string, usage: KeyUsage, anchors: readonly X509Certificate[], now: Date): Read {
  const file = join(dir, `${compactEui(eui).toLowerCase()}-${usage}.pem`);
  if (!existsSync(file)) return undefined;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(file));
  } catch {
    return { problem: `the kept SMKI ${USAGE_NAME[usage]} certificate for ${toDuisEui(eui)} cannot be read` };
  }
  const check = checkDeviceCertificate(certificate, { eui, usage }, anchors, now);
  return check.ok ? { certificate } : { problem: check.reason };
}

/**
 * Makes sure `dir` holds checked certificates for the device, asking SMKI for what is missing or no longer
 * passes. Never throws: what could not be had is returned as problems (SMKI down, no certificate, a check failed).
 */
export async function ensureDeviceCertificates(
  dir: string,
  eui: string,
  endpoint: SmkiEndpoint,
  anchors: readonly X509Certificate[],
  now: Date = new Date(),
): Promise<CertificateProblems> {
  const problems: CertificateProblems = new Map();
  let id: string;
  try {
    id = compactEui(eui);
  } catch {
    return problems;
  }
  const missing = USAGES.filter((usage) => {
    const read = readChecked(dir, id, usage, anchors, now);
    return !read || !('certificate' in read);
  });
  if (missing.length === 0) return problems;
  if (anchors.length === 0) {
    for (const usage of missing)
      problems.set(
        problemKey(id, usage),
        `SMKI's certificates for ${toDuisEui(id)} cannot be checked: no SMKI Device CA certificate is set for this connection`,
      );
    return problems;
  }
  let answer: Awaited<ReturnType<typeof fetchDeviceCertificates>>;
  try {
    answer = await fetchDeviceCertificates(endpoint, id);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    for (const usage of missing) problems.set(problemKey(id, usage), `SMKI could not be asked for ${toDuisEui(id)}'s certificates (${why})`);
    return problems;
  }
  for (const usage of missing) {
    const pem = answer[usage];
    if (!pem) {
      problems.set(problemKey(id, usage), `SMKI holds no ${USAGE_NAME[usage]} certificate for ${toDuisEui(id)}`);
      continue;
    }
    const check = checkDeviceCertificate(new X509Certificate(pem), { eui: id, usage }, anchors, now);
    if (!check.ok) {
      problems.set(problemKey(id, usage), check.reason);
      continue;
    }
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(join(dir, `${id.toLowerCase()}-${usage}.pem`), pem);
  }
  return problems;
}

/**
 * The kept SMKI certificates that pass their checks now, as a key store; the ones that do not are left out and
 * their reasons joined with `problems` (what this look-up could not fetch) for the verdicts to quote.
 */
export function smkiCacheKeyStore(
  dir: string,
  anchors: readonly X509Certificate[],
  problems: CertificateProblems = new Map(),
  now: Date = new Date(),
): GbcsKeyStore {
  const keys: { eui: string; usage: KeyUsage; certificate: X509Certificate }[] = [];
  const all = new Map(problems);
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const file of files) {
    const match = CACHE_FILE.exec(file);
    if (!match) continue;
    const [, eui, usage] = match as unknown as [string, string, KeyUsage];
    const read = readChecked(dir, eui, usage, anchors, now);
    if (read && 'certificate' in read) keys.push({ eui, usage, certificate: read.certificate });
    else if (read && !all.has(problemKey(eui, usage))) all.set(problemKey(eui, usage), read.problem);
  }
  return keyStoreOf(
    keys.map((k) => ({ eui: k.eui, usage: k.usage, publicKey: k.certificate.publicKey })),
    (eui, usage) => all.get(problemKey(eui, usage)),
  );
}

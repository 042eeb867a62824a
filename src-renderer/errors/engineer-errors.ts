import type { AppErrorData } from '../../src-shared/ipc/result';
import { resolveIdentity } from '../../src-shared/model/device-identity';
import { parseInstallCode } from '../../src-shared/model/install-code';
import { parseMpan } from '../../src-shared/model/mpan';
import { parseMprn } from '../../src-shared/model/mprn';
import { t } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-en';
import { messagesEnRecord } from '../i18n/messages-en-record';

/**
 * Contract errors in an engineer's words. Main's INVALID_ARGUMENT carries the failing fields' paths ("premises.mpan");
 * this maps each to a sentence about that field, recomputing the domain checks (MPAN, MPRN, install code, label vs
 * EUI-64) from what the screen sent so the sentence is specific. No schema path or validator wording reaches the screen.
 */
export interface EngineerError {
  /** One message for the whole form (every field's sentence, or the reason when no field is to blame). */
  readonly message: string;
  /** Sentence per field path as sent ("premises.mpan", "device.eui64"), for the field-with-error component. */
  readonly fields: Readonly<Record<string, string>>;
  readonly code: string;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

/** A sentence from our own domain check of the value sent, when there is one. */
function domainSentence(key: string, path: readonly string[], sent: unknown): string | undefined {
  const value = valueAt(sent, path);
  const parent = valueAt(sent, path.slice(0, -1));
  if (key === 'mpan' && typeof value === 'string') {
    const r = parseMpan(value);
    return r.ok ? undefined : r.error;
  }
  if (key === 'mprn' && typeof value === 'string') {
    const r = parseMprn(value);
    return r.ok ? undefined : r.error;
  }
  if ((key === 'eui64' || key === 'installCode') && parent !== null && typeof parent === 'object') {
    const { eui64, installCode } = parent as { eui64?: unknown; installCode?: unknown };
    const r = resolveIdentity(
      { eui64: typeof eui64 === 'string' ? eui64 : undefined, installCode: typeof installCode === 'string' ? installCode : undefined },
      { requireEui64: key === 'eui64' },
    );
    if (!r.ok && r.field === key) return r.message;
  }
  if (key === 'installCode' && typeof value === 'string') {
    const r = parseInstallCode(value);
    return r.ok ? undefined : r.error.message;
  }
  return undefined;
}

/** The sentence for one failing field path. */
export function fieldSentence(path: string, sent?: unknown): string {
  const parts = path.split('.').filter((p) => p !== '');
  const named = parts.filter((p) => !/^\d+$/.test(p));
  let key = named.at(-1) ?? '';
  if (key === 'version' && named.at(-2) === 'mbus') key = 'version.mbus';
  const sentence =
    domainSentence(named.at(-1) ?? '', parts, sent) ??
    (`error.field.${key}` in messagesEnRecord ? t(`error.field.${key}` as MessageKey) : t('error.field.unknown'));
  // "devices.1.installCode" → "2nd device: …" so a work order's device list says which one.
  const index = parts.findIndex((p) => /^\d+$/.test(p));
  return index > 0 && parts[index - 1] === 'devices' ? t('error.item', { position: Number(parts[index]) + 1, message: sentence }) : sentence;
}

/** Strips "device.added: eui64: " style prefixes from the store's own validation messages. */
function withoutPaths(message: string): string {
  const prefix = /(^|;\s*)(?:work order\.)?(?:[a-z][\w-]*\.)*[a-z][\w-]*:\s/gi;
  let out = message;
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out.replace(prefix, '$1');
  }
  return out;
}

export function toEngineerError(error: AppErrorData, sent?: unknown): EngineerError {
  if (error.code === 'INVALID_ARGUMENT') {
    const paths = error.fields ?? [];
    const fields: Record<string, string> = {};
    for (const path of paths) if (path !== '') fields[path] = fieldSentence(path, sent);
    const sentences = [...new Set(Object.values(fields))];
    // A check main made itself (HAN device log) arrives without fields but in engineer's words already.
    const message = sentences.length > 0 ? sentences.join(' ') : paths.length > 0 ? t('error.request') : error.message;
    return { code: error.code, message, fields };
  }
  if (error.code === 'INTERNAL') return { code: error.code, message: t('error.internal'), fields: {} };
  if (error.code === 'INVALID_INPUT') return { code: error.code, message: withoutPaths(error.message), fields: {} };
  return { code: error.code, message: error.message, fields: {} };
}

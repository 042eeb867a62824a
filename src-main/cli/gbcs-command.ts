import { existsSync, readFileSync, statSync } from 'node:fs';
import { decodeGbcs, type GbcsMessage } from '../dcc/gbcs/decode';
import { combineKeyStores, folderKeyStore, zaz1KeyStore } from '../dcc/gbcs/keys';
import { CliInputError, type CliCommand } from './cli-command';

const USAGE = 'gbcs decode <hex|base64|@file> [--keys DIR]…   decode, verify and decrypt one GBCS message (offline; ZAZ1 test keys always known)';

/** The stable JSON of `hantool gbcs decode`; `reading` only for 4.1.x use cases. */
export function gbcsJson(m: GbcsMessage): Record<string, unknown> {
  return {
    cra: m.cra,
    counter: m.counter,
    originator: m.originator,
    recipient: m.recipient,
    messageCode: m.messageCode,
    useCase: m.useCase,
    serviceReference: m.serviceReference,
    ...(m.supplementaryRemoteParty ? { supplementaryRemoteParty: m.supplementaryRemoteParty } : {}),
    mac: m.mac,
    signature: m.signature,
    encrypted: m.encrypted,
    decryption: m.decryption,
    trusted: m.trusted,
    ...(m.untrustedReason ? { untrustedReason: m.untrustedReason } : {}),
    ...(m.preCommand ? { preCommand: true } : {}),
    plaintext: m.plaintext,
    content: m.content,
    result: m.result,
    ...(m.serviceReference?.startsWith('4.1.') ? { reading: m.reading } : {}),
  };
}

/** `<hex|base64|@file>`: a file holds hex or base64 text; whitespace is ignored; only hex digits means hex. */
function messageBytes(argument: string): Buffer {
  let text = argument;
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    if (!existsSync(path) || !statSync(path).isFile()) throw new CliInputError(`gbcs decode: no file ${path}`);
    text = readFileSync(path, 'utf8');
  }
  const compact = text.replace(/\s/g, '');
  if (compact.length === 0) throw new CliInputError('gbcs decode: give the message as hex, base64 or @file');
  if (/^[0-9A-Fa-f]+$/.test(compact)) {
    if (compact.length % 2) throw new CliInputError('gbcs decode: an odd number of hex digits');
    return Buffer.from(compact, 'hex');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new CliInputError('gbcs decode: the input is neither hex nor base64');
  return Buffer.from(compact, 'base64');
}

export const gbcsCommand: CliCommand = {
  name: 'gbcs',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'decode') throw new CliInputError(`gbcs: unknown subcommand "${sub ?? ''}" (try decode)`);
    const keyDirs: string[] = [];
    const inputs: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === '--keys') {
        const dir = rest[++i];
        if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) throw new CliInputError(`gbcs decode: --keys needs a folder (${dir ?? 'none given'})`);
        keyDirs.push(dir);
      } else if (arg.startsWith('--')) throw new CliInputError(`gbcs decode: unknown option ${arg}`);
      else inputs.push(arg);
    }
    if (inputs.length !== 1) throw new CliInputError('gbcs decode: give exactly one message (hex, base64 or @file)');
    const folders = folderKeyStore(keyDirs);
    for (const skipped of folders.skipped) io.err(`gbcs decode: could not read key file ${skipped}`);
    const result = decodeGbcs(messageBytes(inputs[0]!), combineKeyStores([folders, zaz1KeyStore()]));
    if (!result.ok) throw new CliInputError(`gbcs decode: ${result.reason} at byte offset ${result.offset}`);
    io.json(gbcsJson(result));
    return 0;
  },
};

import { decodeGbcs } from '../../../src-main/dcc/gbcs/decode';
import { contractProblem } from '../../../src-main/dcc/gbcs/fuzz';
import type { GbcsKeyStore } from '../../../src-main/dcc/gbcs/keys';
import { loadRtds, rtdsKeys } from '../../../src-main/dcc/gbcs/rtds-corpus';
import { ContractViolation, type FuzzFamily } from '../family';

let keys: GbcsKeyStore | undefined;

/**
 * GBCS device messages: the DCC Reference Test Data Set (../shared/data/gbcs) decoded with its keystore and the
 * ZAZ1 keys, so mutations reach the MAC, signature and decryption paths. The decoder never throws; untrusted
 * content is never shown and a refusal's offset lies inside the input.
 */
export const gbcs: FuzzFamily = {
  name: 'gbcs',
  description: 'GBCS messages (RTDS 4.5.0 commands, responses and alerts) with the RTDS keystore',
  seeds: () => loadRtds().map((m) => m.bytes),
  maxLength: 4096,
  run: (input) => {
    keys ??= rtdsKeys();
    const problem = contractProblem(decodeGbcs(input, keys), input.length);
    if (problem) throw new ContractViolation(problem);
  },
};

import { parseInstallCode } from '../../src-shared/model/install-code';
import { installCodeLinkKey } from '../zigbee/link-key';
import { CliInputError, type CliCommand } from './cli-command';

/** `hantool installcode <code or label>`: validates an install code and shows its CRC and derived link key. */
export const installcodeCommand: CliCommand = {
  name: 'installcode',
  usage: 'installcode <code or label>   validate an install code; print EUI-64, code, CRC and AES-MMO link key',
  async run(args, io) {
    const input = args.join(' ').trim();
    if (input.length === 0) throw new CliInputError('installcode: give an install code or label, e.g. 83FED3407A939723A5C639B26916D505C3B5');
    const result = parseInstallCode(input);
    if (!result.ok) {
      // Support tool: the computed CRC is shown as a diagnostic, after the engineer-facing reason.
      const diagnostic = result.error.expectedCrc ? ` (diagnostic: the CRC computed from the code is ${result.error.expectedCrc})` : '';
      throw new CliInputError(`installcode: ${result.error.message}${diagnostic}`);
    }
    const { ieee, installCode, crc } = result.value;
    io.json({ valid: true, ieee, installCode, crc, linkKey: installCodeLinkKey(installCode, crc) });
    return 0;
  },
};

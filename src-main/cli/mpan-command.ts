import { parseMpan } from '../../src-shared/model/mpan';
import { CliInputError, type CliCommand } from './cli-command';

/** `hantool mpan <13 or 21 digits>`: validates an MPAN core or full MPAN and prints its parts. */
export const mpanCommand: CliCommand = {
  name: 'mpan',
  usage: 'mpan <13 or 21 digits>        validate an MPAN (check digit, distributor, top-line fields)',
  async run(args, io) {
    // Bills print the MPAN in boxes, so "S 01 801 100 / 12 3456 7890 123" style spacing is joined up.
    const input = args.join('').trim();
    if (input.length === 0) throw new CliInputError('mpan: give a 13-digit MPAN core or a 21-digit full MPAN');
    const result = parseMpan(input);
    if (!result.ok) throw new CliInputError(`mpan: ${result.error}`);
    const { core, checkDigit, distributorId, profileClass, meterTimeswitchCode, lineLossFactorClass, warnings } = result.value;
    io.json({
      valid: true,
      core,
      checkDigit,
      distributorId,
      ...(result.value.distributorName ? { distributorName: result.value.distributorName } : {}),
      warnings,
      ...(profileClass !== undefined ? { profileClass, meterTimeswitchCode, lineLossFactorClass } : {}),
    });
    return 0;
  },
};

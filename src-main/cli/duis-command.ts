import { createPremisesModel } from '../premises/premises-model';
import { TEST_DCC_ID, TEST_USER_ID, testUserCredentials } from '../dcc/credentials';
import { buildDuisRequest, DuisParamsError } from '../dcc/request-builder';
import { exampleParams } from '../dcc/request-examples';
import { isServiceRequestVariant, SERVICE_REQUEST_VARIANTS } from '../dcc/service-requests';
import { signDuisXml } from '../dcc/xmldsig';
import { CliInputError, type CliCommand } from './cli-command';

const USAGE = `duis <service-request> (--params '<json>' | --example) [--sign] [--seed <n>]`;

/**
 * `hantool duis`: prints one DUIS request as XML (not JSON). The CLI only ever uses the public DCC Boxed test
 * credentials and says so on stderr; RequestID counters are epoch milliseconds, as DCC's own signing tool uses.
 */
export const duisCommand: CliCommand = {
  name: 'duis',
  usage: `${USAGE}   print a DUIS request (${SERVICE_REQUEST_VARIANTS.join(', ')}); --example fills it from the training premises`,
  async run(args, io) {
    const [variant, ...rest] = args;
    if (!variant || !isServiceRequestVariant(variant)) {
      throw new CliInputError(`duis: give a service request (${SERVICE_REQUEST_VARIANTS.join(', ')}); usage: hantool ${USAGE}`);
    }
    let params: unknown;
    let sign = false;
    let seed = 1;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === '--sign') sign = true;
      else if (arg === '--example') params = 'example';
      else if (arg === '--seed') seed = Number(rest[++i]);
      else if (arg === '--params') {
        const json = rest[++i];
        try {
          params = JSON.parse(json ?? '');
        } catch {
          throw new CliInputError(`duis: --params needs a JSON object, got ${json === undefined ? 'nothing' : 'invalid JSON'}`);
        }
      } else throw new CliInputError(`duis: unknown option "${arg}"; usage: hantool ${USAGE}`);
    }
    if (params === undefined) throw new CliInputError(`duis: give --params '<json>' or --example; usage: hantool ${USAGE}`);
    if (!Number.isInteger(seed) || seed < 0) throw new CliInputError('duis: --seed needs a non-negative integer');
    if (params === 'example') params = exampleParams(variant, createPremisesModel(seed));
    let request;
    try {
      request = buildDuisRequest({ variant, params, userId: TEST_USER_ID, dccId: TEST_DCC_ID, counter: () => BigInt(Date.now()) });
    } catch (error) {
      if (error instanceof DuisParamsError) throw new CliInputError(`duis: ${error.message}`);
      throw error;
    }
    io.err(
      `duis: using the DCC Boxed TEST credentials (public ZAZ1 test PKI, User ID ${TEST_USER_ID}, DCC ${TEST_DCC_ID})` +
        (sign ? ', signed with the test key' : ', unsigned') +
        `; ${request.name}, CommandVariant ${request.commandVariant}, endpoint ${request.endpoint}`,
    );
    io.out(sign ? signDuisXml(request.xml, testUserCredentials()) : request.xml);
    return 0;
  },
};

import { readFile } from 'node:fs/promises';
import { createAppServices } from '../app/app-services';
import { parseAnswersFile, type AnswersFile } from '../flows/answers-file';
import { runUnattended } from '../flows/unattended';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';
import { JOB_ID_PATTERN } from '../../src-shared/model/job-event';

const USAGE = 'install run <jobId> --route own-network [--answers FILE]   run a visit unattended; one JSON line per step, then {"outcome":…}';

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new CliInputError(`${name} needs a value`);
  return value;
}

/**
 * `hantool install run <jobId> --route own-network [--answers FILE]`: the own-network route's steps on the
 * attached dongles or, with none, on the training premises (docs/install-answers.md). Exit 0 only when the visit
 * completed; 1 when it stopped or ended otherwise; 2 for bad input. Every service is closed before it returns.
 */
export function createInstallCommand(options: { dataDir?: string; premises?: 'auto' | 'on' | 'off' } = {}): CliCommand {
  return {
    name: 'install',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo) {
      if (args[0] !== 'run') throw new CliInputError(`usage: ${USAGE}`);
      const jobId = args[1];
      if (!jobId || !JOB_ID_PATTERN.test(jobId)) throw new CliInputError('install run needs a job id (letters, digits, "-" and "_")');
      const route = option(args, '--route');
      if (route !== 'own-network')
        throw new CliInputError('--route own-network is the route that runs unattended (live Comms Hub visits need a person on site)');
      const answersPath = option(args, '--answers');
      let answers: AnswersFile | undefined;
      if (answersPath) {
        let text: string;
        try {
          text = await readFile(answersPath, 'utf8');
        } catch (error) {
          throw new CliInputError(`cannot read the answers file ${answersPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
        const parsed = parseAnswersFile(text);
        if (!parsed.ok) throw new CliInputError(parsed.error);
        answers = parsed.value;
      }
      const services = await createAppServices({
        owner: 'hantool install run',
        premises: options.premises ?? 'auto',
        pollIntervalMs: 60_000,
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
      try {
        const store = services.store;
        try {
          store.getJob(jobId);
        } catch {
          throw new CliInputError(`there is no job ${jobId} in ${services.dataDir}`);
        }
        const result = await runUnattended({
          runner: services.visits,
          store,
          jobId,
          route,
          ...(answers ? { answers } : {}),
          ...(services.premises ? { premises: services.premises } : {}),
          onStep: (line) => io.json(line),
        });
        io.json({
          outcome: result.outcome,
          reason: result.reason,
          jobId,
          ...(result.visitId ? { visitId: result.visitId } : {}),
          ...(result.pending ? { pending: result.pending } : {}),
        });
        return result.outcome === 'completed' ? 0 : 1;
      } finally {
        await services.close();
      }
    },
  };
}

export const installCommand = createInstallCommand();

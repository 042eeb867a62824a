import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolveDataDir } from '../store/data-dir';
import { JobStore } from '../store/job-store';
import { JobValidationError } from '../store/store-errors';
import { CliInputError, type CliCommand } from './cli-command';

/** Where the CLI's data folder comes from; tests give their own. */
export interface DataDirOption {
  readonly dataDir?: () => string;
}

/** `hantool job import <work-order.json>`: creates a job from a work order (docs/work-order.md); prints {"jobId"}. */
export function createJobCommand(options: DataDirOption = {}): CliCommand {
  return {
    name: 'job',
    usage: 'job import <work-order.json>  create a job from a work order; prints {"jobId":…}',
    async run(args, io) {
      const [verb, file, ...rest] = args;
      if (verb !== 'import' || !file || rest.length > 0) throw new CliInputError('job: usage: hantool job import <work-order.json>');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new CliInputError(`job import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const store = await JobStore.open((options.dataDir ?? resolveDataDir)(), {
        engineer: process.env.HAN_ENGINEER ?? userInfo().username,
        owner: 'hantool',
      });
      try {
        const job = await store.importWorkOrder(text);
        io.json({ jobId: job.id });
        return 0;
      } catch (error) {
        if (error instanceof JobValidationError) throw new CliInputError(`job import: ${error.message}`);
        throw error;
      } finally {
        await store.close();
      }
    },
  };
}

export const jobCommand = createJobCommand();

import type { CliCommand } from './cli-command';
import { installcodeCommand } from './installcode-command';
import { mpanCommand } from './mpan-command';
import { duisCommand } from './duis-command';
import { mbusCommand } from './mbus-command';
import { donglesCommand } from './dongles-command';
import { simCommand } from './sim-command';
import { hanScanCommand } from './han-scan-command';
import { installCommand } from './install-command';
import { jobCommand } from './job-command';
import { reportCommand } from './report-command';
import { gbcsCommand } from './gbcs-command';
import { dccCommand } from './dcc-command';

/** Every `hantool` command. Each lives in its own `<name>-command.ts`; names and JSON shapes are stable. */
export const cliCommands: readonly CliCommand[] = [
  installcodeCommand,
  mpanCommand,
  duisCommand,
  mbusCommand,
  donglesCommand,
  simCommand,
  hanScanCommand,
  installCommand,
  jobCommand,
  reportCommand,
  gbcsCommand,
  dccCommand,
];

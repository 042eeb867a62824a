import { cliCommands } from './commands';
import { processIo, runCli } from './run-cli';
import { applyPrivateUmask } from '../util/private-files';

// Entry point of `hantool` (npm run -s hantool -- <command>). What it writes is private to the user, as the app's.
applyPrivateUmask();
const code = await runCli(process.argv.slice(2), cliCommands, processIo);
// Long-running commands (sim) keep the process alive themselves and never return here until they stop.
process.exitCode = code;

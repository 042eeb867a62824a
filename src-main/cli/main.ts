import { cliCommands } from './commands';
import { processIo, runCli } from './run-cli';

// Entry point of `hantool` (npm run -s hantool -- <command>).
const code = await runCli(process.argv.slice(2), cliCommands, processIo);
// Long-running commands (sim) keep the process alive themselves and never return here until they stop.
process.exitCode = code;

import { FAMILIES, familyByName } from './families/index';
import { runFuzz, type FuzzReport } from './runner';

/**
 * `npm run fuzz -- <family|all> [--inputs N] [--seed S] [--timeout-ms T] [--max-seconds S] [--out DIR]`. Prints one JSON report
 * per family, then the stable last line per family:
 * `fuzz <family>: <inputs> inputs <rate> inputs/s crashes <n> hangs <n> peak-rss <MB> MB`. Exit 1 on any finding.
 */
function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`--${name} needs a number\n`);
    process.exit(2);
  }
  return value;
}

const wanted = process.argv.slice(2).find((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (!wanted) {
  process.stderr.write(
    `usage: npm run fuzz -- <family|all> [--inputs N] [--seed S] [--timeout-ms T] [--max-seconds S] [--out DIR]\nfamilies: ${FAMILIES.map((f) => f.name).join(', ')}\n`,
  );
  process.exit(2);
}
const outAt = process.argv.indexOf('--out');
const outDir = outAt >= 0 ? process.argv[outAt + 1]! : 'fuzz-findings';
let families: string[];
try {
  families = wanted === 'all' ? FAMILIES.map((f) => f.name) : [familyByName(wanted).name];
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const reports: FuzzReport[] = [];
for (const family of families) {
  const inputs = option('inputs', 100_000);
  let last = 0;
  const report = await runFuzz({
    family,
    inputs,
    seed: option('seed', 1),
    timeoutMs: option('timeout-ms', 10_000),
    ...(process.argv.includes('--max-seconds') ? { maxSeconds: option('max-seconds', 0) } : {}),
    outDir,
    onProgress: (done) => {
      if (process.stderr.isTTY && done - last >= inputs / 100) {
        last = done;
        process.stderr.write(`\r${family}: ${done}/${inputs}`);
      }
    },
  });
  reports.push(report);
  process.stdout.write(`${JSON.stringify({ ...report, crashes: report.crashes.map(({ stack: _stack, ...c }) => c) })}\n`);
}
for (const r of reports) {
  process.stdout.write(
    `fuzz ${r.family}: ${r.inputs} inputs ${Math.round(r.inputsPerSecond)} inputs/s crashes ${r.crashes.length} hangs ${r.hangs.length} peak-rss ${Math.round(r.peakRssMb)} MB\n`,
  );
}
process.exitCode = reports.some((r) => r.crashes.length > 0 || r.hangs.length > 0) ? 1 : 0;

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench` runs every bench/<name>.bench.ts; `npm run -s bench -- <name>` runs one. Each benchmark module
 * exports `run(): Promise<void>`, prints its figures and ends with one line `<name>: <figure> <unit>[ ratio <r>]`.
 */
const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  const module = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { run(): Promise<void> };
  await module.run();
}

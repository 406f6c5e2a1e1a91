#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints a table and writes bench-results/<name>.json.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const [name, ...args] = process.argv.slice(2);
const selected = name ? [name] : available;
for (const bench of selected) {
  if (!available.includes(bench)) {
    console.error(`unknown benchmark "${bench}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const mod = await import(join(benchDir, `${bench}.bench.ts`));
  await mod.run(args);
}

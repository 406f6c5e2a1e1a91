/** The function bundles `cdk synth` builds: ESM, minified, source-mapped, self-sufficient (they load in Node). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/functions.ts';
import { CHART_RENDERING } from '../../infra/constructs/reporting.ts';
import { type FunctionId, LAMBDA_FUNCTIONS } from '../../lib/workflows/tasks.ts';
import { buildClientsApp, removeOutdir, synthesize } from './synth.ts';
import { resources } from './template-helpers.ts';

const FUNCTION_IDS = Object.keys(LAMBDA_FUNCTIONS) as FunctionId[];
/** The functions shipping resvg's native binary (see CHART_RENDERING). */
const CHART_FUNCTIONS: readonly FunctionId[] = ['build-report', 'send-report'];

const assets = new Map<FunctionId, string>();

// Ten esbuild runs (two of them large report bundles): about half a minute on an idle machine, far more on a busy one.
beforeAll(() => {
  // Both clients, as `cdk synth` does: their functions share one bundle per function id.
  const built = buildClientsApp({ bundling: true });
  const { assembly, templates } = synthesize(built.app, built.clients);
  const [first] = built.clients;
  if (!first) throw new Error('no client in clients/');
  const client = first.definition.config.client;
  const template = templates.get(client) as Template;
  for (const id of FUNCTION_IDS) {
    const fn = resources(template, 'AWS::Lambda::Function').find((r) => r.properties.FunctionName === `adpilot-${client}-${id}`);
    const key = String((fn?.properties.Code as { S3Key: string } | undefined)?.S3Key).replace(/\.zip$/, '');
    assets.set(id, join(assembly.directory, `asset.${key}`));
  }
}, 600_000);

afterAll(() => removeOutdir());

const assetOf = (id: FunctionId): string => {
  const dir = assets.get(id);
  if (!dir) throw new Error(`no bundle for ${id}`);
  return dir;
};

it('bundles each function as minified ESM with a source map and the createRequire banner', () => {
  for (const id of FUNCTION_IDS) {
    const bundle = readFileSync(join(assetOf(id), 'index.mjs'), 'utf8');
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    const map = JSON.parse(readFileSync(join(assetOf(id), 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
    // Minified: far fewer lines than characters.
    expect(bundle.split('\n').length).toBeLessThan(bundle.length / 1000);
  }
});

it('ships resvg and the chart font next to the report bundles, and nothing next to the others', () => {
  for (const id of FUNCTION_IDS) {
    const shipped = CHART_FUNCTIONS.includes(id) ? CHART_RENDERING.paths : [];
    expect(CHART_RENDERING.paths.filter((path) => existsSync(join(assetOf(id), 'node_modules', path)))).toEqual(shipped);
  }
});

it('loads every bundle in Node: its imports resolve within the bundle and `handler` is exported', () => {
  // A child process with an empty environment, so that the bundles load exactly as Node loads them.
  const script = 'for (const file of process.argv.slice(1)) { const m = await import(file); console.log(typeof m.handler); }';
  const files = FUNCTION_IDS.map((id) => join(assetOf(id), 'index.mjs'));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, ...files], { encoding: 'utf8', env: {} });
  expect(out.trim().split('\n')).toEqual(FUNCTION_IDS.map(() => 'function'));
});

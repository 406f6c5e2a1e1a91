/**
 * Synthesizes the stacks of clients/ the way `cdk synth` does (same loader, same cdk.json context),
 * once per test file: bundling every function takes a while.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { type AdPilotApp, createAdPilotApp } from '../../infra/adpilot-app.ts';
import type { ClientStack } from '../../infra/client-stack.ts';
import { type ClientDefinition, loadClientDefinitions } from '../../infra/clients.ts';
import { NagAcknowledgements } from '../../infra/nag.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface SynthOptions {
  /** Bundle the functions with esbuild (slow) or leave their code out (the template is otherwise the same). */
  readonly bundling: boolean;
  /** Record cdk-nag acknowledgements without applying them. */
  readonly deferNag?: boolean;
}

export interface ClientUnderTest {
  readonly definition: ClientDefinition;
  readonly stack: ClientStack;
}

const outdirs: string[] = [];

/** Removes the cloud assemblies this test file synthesized (bundles take tens of megabytes). */
export function removeOutdir(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The app with one stack per client of clients/, not yet synthesized; call removeOutdir() after the tests. */
export function buildClientsApp(options: SynthOptions): AdPilotApp & { readonly clients: ClientUnderTest[] } {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const context = { ...cdkJson.context, ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const definitions = loadClientDefinitions(join(PROJECT_ROOT, 'clients'));
  const outdir = mkdtempSync(join(tmpdir(), 'adpilot-cdk-'));
  outdirs.push(outdir);
  const built = createAdPilotApp({
    projectRoot: PROJECT_ROOT,
    clients: definitions,
    // The built-in CloudFormation schema validation is left to `npm run synth` (CI): it would triple the test time.
    appProps: { context, outdir, builtinCloudFormationValidation: false },
    nag: new NagAcknowledgements({ deferred: options.deferNag ?? false }),
  });
  return { ...built, clients: definitions.map((definition, i) => ({ definition, stack: built.stacks[i] as ClientStack })) };
}

/** Synthesizes the app (running the cdk-nag plugin) and returns the assembly and each client's template. */
export function synthesize(
  app: AdPilotApp['app'],
  clients: readonly ClientUnderTest[],
): { assembly: CloudAssembly; templates: Map<string, Template> } {
  const assembly = app.synth();
  const templates = new Map(clients.map(({ definition, stack }) => [definition.config.client, Template.fromStack(stack)]));
  return { assembly, templates };
}

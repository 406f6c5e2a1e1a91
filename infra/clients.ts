/**
 * Reads the client configs of the CDK app: every `*.yaml`, `*.yml` and `*.json` file of a folder,
 * validated by the same loader the CLI uses (lib/config/load.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadClientConfig } from '../lib/config/load.ts';
import type { ClientConfig } from '../lib/config/schema.ts';
import { ClientDefinitionError } from './errors.ts';

export interface ClientDefinition {
  /** The file the config was read from. */
  readonly file: string;
  /** The validated config (amounts in micros, defaults applied). */
  readonly config: ClientConfig;
  /**
   * The config as written in the file (parsed YAML/JSON, before validation). This is what the
   * Lambdas receive in ADPILOT_CLIENT_CONFIG: parsing it again with the schema gives `config`,
   * whereas the validated form cannot be re-parsed (its amounts are micros, not major units).
   */
  readonly input: unknown;
}

const CONFIG_FILE = /\.(ya?ml|json)$/;

/** Loads every client config of `dir`, sorted by file name; fails on the first invalid file or on a duplicate client name. */
export function loadClientDefinitions(dir: string): ClientDefinition[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => CONFIG_FILE.test(name));
  } catch (cause) {
    throw new ClientDefinitionError(`cannot read the clients folder ${dir}: ${(cause as Error).message}`, dir, { cause });
  }
  const definitions = names.sort().map((name) => loadClientDefinition(join(dir, name)));
  const seen = new Map<string, string>();
  for (const { config, file } of definitions) {
    const other = seen.get(config.client);
    if (other) throw new ClientDefinitionError(`client "${config.client}" is defined twice: ${other} and ${file}`, file);
    seen.set(config.client, file);
  }
  return definitions;
}

/** Loads one client config file. */
export function loadClientDefinition(file: string): ClientDefinition {
  const config = loadClientConfig(file);
  // The loader has just read and parsed this file successfully, so this second parse cannot fail.
  const input: unknown = parseYaml(readFileSync(file, 'utf8'));
  return { file, config, input };
}

/** Reads and validates a client config file (YAML or JSON). Fails fast naming every bad field. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { ClientConfig } from './schema.ts';

/** Formats a zod path as `budget.dailyTotal` or `tests[0].arms[1].adsetId`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }));
}

/** Validates an already-parsed config object; `source` names it in errors. */
export function parseClientConfig(raw: unknown, source = 'client config'): ClientConfig {
  const result = ClientConfig.safeParse(raw);
  if (!result.success) {
    const issues = describeIssues(result.error);
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid client config ${source}:\n${lines}`, source, issues);
  }
  return result.data;
}

/** Parses the text of a config file (YAML is a superset of JSON). */
export function parseClientConfigText(text: string, source: string): ClientConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (cause) {
    throw new ConfigError(`cannot parse ${source}: ${(cause as Error).message}`, source, [], { cause });
  }
  return parseClientConfig(raw, source);
}

export function loadClientConfig(file: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read client config ${file}: ${(cause as Error).message}`, file, [], { cause });
  }
  return parseClientConfigText(text, file);
}

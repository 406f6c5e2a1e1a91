/** Option parsing shared by the sub-commands (node:util parseArgs, strict). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isLocalDate } from '../model/dates.ts';
import { CliUsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses options strictly; unknown or malformed options are a usage error with the command's help. */
export function parseOptions<T extends Options>(args: string[], options: T, help: string) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    return parsed;
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n\n${help}`);
  }
}

export function requireString(value: unknown, name: string, help: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new CliUsageError(`--${name} is required\n\n${help}`);
  return value;
}

export function requireDate(value: unknown, name: string, help: string): string {
  const text = requireString(value, name, help);
  if (!isLocalDate(text)) throw new CliUsageError(`--${name} must be a calendar date YYYY-MM-DD, got "${text}"`);
  return text;
}

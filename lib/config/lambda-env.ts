/** Reads the Lambda environment contract (lib/runtime/env.ts) once, failing fast with the variables at fault. */
import { LambdaEnv } from '../runtime/env.ts';
import { ConfigError } from './errors.ts';
import { describeIssues } from './load.ts';

export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  const parsed = LambdaEnv.safeParse(env);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    throw new ConfigError(`invalid Lambda environment: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, 'environment', issues);
  }
  return parsed.data;
}

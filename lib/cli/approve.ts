/**
 * `adpilot approve <plan> --client <file> --data-dir <dir> [--json]`: applies a plan that approval
 * mode left pending, through the guardrails, each change exactly once.
 */
import { resolve } from 'node:path';
import { loadClientConfig } from '../config/load.ts';
import { systemClock } from '../runtime/clock.ts';
import { approvePlan } from '../usecases/approve.ts';
import { parseOptions, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';
import { openLocalDeployment } from './local-deployment.ts';

const HELP = 'usage: adpilot approve <plan-id> --client <file> --data-dir <dir> [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { client: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const planId = positionals[0];
  if (!planId) throw new CliUsageError(`which plan? give its id\n\n${HELP}`);
  const config = loadClientConfig(requireString(values.client, 'client', HELP));
  const deployment = await openLocalDeployment(config, systemClock, resolve(requireString(values['data-dir'], 'data-dir', HELP)));
  try {
    const result = await approvePlan(deployment.runtime.ctx, planId);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else
      console.log(
        `plan ${result.planId}: ${result.status} — ${result.applied} applied, ${result.skipped} already done, ${result.failed} failed, ${result.rejected} stopped by the guardrails`,
      );
    return result.failed > 0 ? 1 : 0;
  } finally {
    await deployment.close();
  }
}

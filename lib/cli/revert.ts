/**
 * `adpilot revert <change-id|plan-id> --client <file> --data-dir <dir> [--json]`: restores the
 * budgets a change (or every change of a plan) replaced, through the guardrails, logged and announced.
 */
import { resolve } from 'node:path';
import { loadClientConfig } from '../config/load.ts';
import { formatMoney } from '../model/money.ts';
import { systemClock } from '../runtime/clock.ts';
import { type RevertOutcome, revertChange, revertPlan } from '../usecases/revert.ts';
import { parseOptions, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';
import { openLocalDeployment } from './local-deployment.ts';

const HELP = 'usage: adpilot revert <change-id | plan-id> --client <file> --data-dir <dir> [--json]';

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
  const id = positionals[0];
  if (!id) throw new CliUsageError(`which change or plan? give its id\n\n${HELP}`);
  const config = loadClientConfig(requireString(values.client, 'client', HELP));
  const deployment = await openLocalDeployment(config, systemClock, resolve(requireString(values['data-dir'], 'data-dir', HELP)));
  try {
    const { store } = deployment.runtime.ctx;
    let outcomes: RevertOutcome[];
    if (await store.getChange(id)) outcomes = [await revertChange(deployment.runtime.ctx, id)];
    else if (await store.getPlan(id)) outcomes = await revertPlan(deployment.runtime.ctx, id);
    else throw new CliUsageError(`no change or plan "${id}" in ${values['data-dir']}`);
    if (values.json) console.log(JSON.stringify(outcomes, null, 2));
    for (const o of values.json ? [] : outcomes) {
      console.log(
        o.kind === 'reverted'
          ? o.reactivated
            ? `${o.changeId}: reverted, the ad set is active again at ${formatMoney(o.budgetMicros, o.currency)} per day`
            : `${o.changeId}: reverted, budget back to ${formatMoney(o.budgetMicros, o.currency)}`
          : o.kind === 'already-reverted'
            ? `${o.changeId}: already reverted by ${o.revertId}`
            : `${o.changeId}: not reverted — ${o.reason}`,
      );
    }
    return outcomes.some((o) => o.kind === 'refused') ? 1 : 0;
  } finally {
    await deployment.close();
  }
}

/**
 * Runs a client against the bundled market simulator and fake platforms, in-process on
 * loopback, with the simulator's state kept in the data dir between runs.
 *
 * The simulator is deterministic given its seed, its start date and the budget and status
 * writes it received, so that is all that persists (`<dataDir>/sim/market.json`): on the next
 * run the writes are replayed and every simulated day comes out identical.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClientConfig } from '../config/schema.ts';
import type { Platform } from '../model/ads.ts';
import type { Credentials } from '../platforms/registry.ts';
import type { Clock } from '../runtime/clock.ts';
import { MarketSimulator } from '../sim/market.ts';
import { startFakeMeta } from '../sim/meta/server.ts';
import { sampleMarketConfig } from '../sim/sample-market.ts';
import { LocalRuntimeError } from './errors.ts';

/** The token the fakes accept; it only ever exists on loopback. */
const SIMULATION_TOKEN = 'adpilot-simulation-token';

const Journal = z.object({
  seed: z.number().int(),
  startDate: z.string(),
  writes: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('budget'), adsetId: z.string(), micros: z.number().int(), at: z.string() }),
      z.object({
        kind: z.literal('status'),
        adsetId: z.string(),
        status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']),
        at: z.string(),
      }),
    ]),
  ),
});
type Journal = z.infer<typeof Journal>;

export interface Simulation {
  /** The client config with every simulated platform's base URL pointing at its fake. */
  readonly config: ClientConfig;
  readonly market: MarketSimulator;
  credentials(platform: Platform): Credentials;
  /** Writes the journal to the data dir (no-op in memory). */
  save(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fakes the config's `simulation` block asks for, restoring state from `dataDir`. */
export async function startSimulation(config: ClientConfig, clock: Clock, dataDir?: string): Promise<Simulation> {
  if (!config.simulation) throw new LocalRuntimeError(`client ${config.client} has no simulation block`);
  const file = dataDir ? join(dataDir, 'sim', 'market.json') : undefined;
  const journal = file && existsSync(file) ? readJournal(file) : undefined;
  if (journal && journal.seed !== config.simulation.seed) {
    throw new LocalRuntimeError(
      `the data dir holds a simulation with seed ${journal.seed}, not ${config.simulation.seed}: use another --data-dir`,
    );
  }
  const market = new MarketSimulator({
    ...sampleMarketConfig(config.simulation.seed),
    ...(journal ? { startDate: journal.startDate } : {}),
    clock,
  });
  const writes: Journal['writes'] = [...(journal?.writes ?? [])];
  for (const write of writes) {
    if (write.kind === 'budget') market.setDailyBudget(write.adsetId, write.micros, new Date(write.at));
    else market.setStatus(write.adsetId, write.status, new Date(write.at));
  }
  recordWrites(market, writes);

  const meta = await startFakeMeta({ market, accessToken: SIMULATION_TOKEN });
  const simulated: ClientConfig = {
    ...config,
    platforms: {
      meta: {
        ...(config.platforms.meta ?? { apiVersion: 'v25.0', purchaseActionType: 'omni_purchase', restatementDays: 28 }),
        accounts: market.accounts().map((a) => a.accountId),
        baseUrl: meta.baseUrl,
      },
    },
  };
  return {
    config: simulated,
    market,
    credentials: (platform) => {
      if (platform !== 'meta') throw new LocalRuntimeError(`the simulation has no ${platform} fake yet`);
      return { accessToken: SIMULATION_TOKEN };
    },
    async save() {
      if (!file || !dataDir) return;
      mkdirSync(join(dataDir, 'sim'), { recursive: true });
      const state: Journal = { seed: market.seed, startDate: market.startDate, writes };
      writeFileSync(file, `${JSON.stringify(state, null, 1)}\n`);
    },
    close: () => meta.close(),
  };
}

function readJournal(file: string): Journal {
  const parsed = Journal.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new LocalRuntimeError(`${file} is not a simulation journal: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Appends every budget and status write the fakes make to the journal. */
function recordWrites(market: MarketSimulator, writes: Journal['writes']): void {
  const setDailyBudget = market.setDailyBudget.bind(market);
  const setStatus = market.setStatus.bind(market);
  market.setDailyBudget = (adsetId, micros, at = market.now()) => {
    const result = setDailyBudget(adsetId, micros, at);
    writes.push({ kind: 'budget', adsetId, micros, at: at.toISOString() });
    return result;
  };
  market.setStatus = (adsetId, status, at = market.now()) => {
    const result = setStatus(adsetId, status, at);
    writes.push({ kind: 'status', adsetId, status, at: at.toISOString() });
    return result;
  };
}

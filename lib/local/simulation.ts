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
import { PLATFORMS, type Platform } from '../model/ads.ts';
import type { Credentials } from '../platforms/registry.ts';
import type { Clock } from '../runtime/clock.ts';
import { startFakeGoogleAds } from '../sim/google-ads/server.ts';
import { startFakeLinkedIn } from '../sim/linkedin/server.ts';
import { MarketSimulator } from '../sim/market.ts';
import { startFakeMeta } from '../sim/meta/server.ts';
import { startFakePinterest } from '../sim/pinterest/server.ts';
import { sampleMarketConfig } from '../sim/sample-market.ts';
import { startFakeTikTok } from '../sim/tiktok/server.ts';
import { startFakeXAds } from '../sim/x-ads/server.ts';
import { LocalRuntimeError } from './errors.ts';

/** The token the fakes accept; it only ever exists on loopback. */
const SIMULATION_TOKEN = 'adpilot-simulation-token';

type Platforms = ClientConfig['platforms'];

/** How one platform is simulated: its fake, the credentials it accepts, and the config that points at it. */
interface SimulatedPlatform {
  start(market: MarketSimulator): Promise<{ readonly baseUrl: string; close(): Promise<void> }>;
  readonly credentials: Credentials;
  /** The platform's config block with the market's accounts and the fake's base URL. */
  configure(current: Platforms, accountIds: string[], baseUrl: string): Platforms;
}

/** How each platform's fake is wired. */
const SIMULATED: Record<Platform, SimulatedPlatform> = {
  meta: {
    start: (market) => startFakeMeta({ market, accessToken: SIMULATION_TOKEN }),
    credentials: { accessToken: SIMULATION_TOKEN },
    configure: (current, accounts, baseUrl) => ({
      meta: { ...(current.meta ?? { apiVersion: 'v25.0', purchaseActionType: 'omni_purchase', restatementDays: 28 }), accounts, baseUrl },
    }),
  },
  'google-ads': {
    start: (market) => startFakeGoogleAds({ market, accessToken: SIMULATION_TOKEN, developerToken: SIMULATION_TOKEN }),
    credentials: { accessToken: SIMULATION_TOKEN, developerToken: SIMULATION_TOKEN },
    configure: (current, customerIds, baseUrl) => ({
      'google-ads': { ...(current['google-ads'] ?? { apiVersion: 'v26', conversionWindowDays: 30 }), customerIds, baseUrl },
    }),
  },
  tiktok: {
    start: (market) => startFakeTikTok({ market, accessToken: SIMULATION_TOKEN }),
    credentials: { accessToken: SIMULATION_TOKEN },
    configure: (current, advertiserIds, baseUrl) => ({
      tiktok: { ...(current.tiktok ?? { attributionWindowDays: 7 }), advertiserIds, baseUrl },
    }),
  },
  linkedin: {
    start: (market) => startFakeLinkedIn({ market, accessToken: SIMULATION_TOKEN }),
    credentials: { accessToken: SIMULATION_TOKEN },
    configure: (current, accountIds, baseUrl) => ({
      linkedin: { ...(current.linkedin ?? { version: '202601', restatementDays: 14 }), accountIds, baseUrl },
    }),
  },
  'x-ads': {
    start: (market) =>
      startFakeXAds({
        market,
        credentials: {
          consumerKey: SIMULATION_TOKEN,
          consumerSecret: SIMULATION_TOKEN,
          accessToken: SIMULATION_TOKEN,
          accessTokenSecret: SIMULATION_TOKEN,
        },
      }),
    credentials: {
      consumerKey: SIMULATION_TOKEN,
      consumerSecret: SIMULATION_TOKEN,
      accessToken: SIMULATION_TOKEN,
      accessTokenSecret: SIMULATION_TOKEN,
    },
    configure: (current, accountIds, baseUrl) => ({ 'x-ads': { ...(current['x-ads'] ?? { apiVersion: '12' }), accountIds, baseUrl } }),
  },
  pinterest: {
    start: (market) => startFakePinterest({ market, accessToken: SIMULATION_TOKEN }),
    credentials: { accessToken: SIMULATION_TOKEN },
    configure: (current, adAccountIds, baseUrl) => ({ pinterest: { ...current.pinterest, adAccountIds, baseUrl } }),
  },
};

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
  // Every platform has a fake: the configured ones are started, over one market holding their sample accounts.
  const simulatedPlatforms: readonly Platform[] = PLATFORMS.filter((p) => config.platforms[p] !== undefined);
  const market = new MarketSimulator({
    ...sampleMarketConfig(config.simulation.seed, simulatedPlatforms),
    ...(journal ? { startDate: journal.startDate } : {}),
    clock,
  });
  const writes: Journal['writes'] = [...(journal?.writes ?? [])];
  for (const write of writes) {
    if (write.kind === 'budget') market.setDailyBudget(write.adsetId, write.micros, new Date(write.at));
    else market.setStatus(write.adsetId, write.status, new Date(write.at));
  }
  recordWrites(market, writes);

  const servers: { close(): Promise<void> }[] = [];
  let platforms: Platforms = {};
  try {
    for (const platform of simulatedPlatforms) {
      const simulated = SIMULATED[platform];
      const server = await simulated.start(market);
      servers.push(server);
      const accountIds = market
        .accounts()
        .filter((a) => a.platform === platform)
        .map((a) => a.accountId);
      platforms = { ...platforms, ...simulated.configure(config.platforms, accountIds, server.baseUrl) };
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  return {
    config: { ...config, platforms },
    market,
    credentials: (platform) => {
      if (!simulatedPlatforms.includes(platform))
        throw new LocalRuntimeError(`the simulation has no ${platform} fake: ${platform} is not configured`);
      return SIMULATED[platform].credentials;
    },
    async save() {
      if (!file || !dataDir) return;
      mkdirSync(join(dataDir, 'sim'), { recursive: true });
      const state: Journal = { seed: market.seed, startDate: market.startDate, writes };
      writeFileSync(file, `${JSON.stringify(state, null, 1)}\n`);
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
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

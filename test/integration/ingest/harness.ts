/**
 * Shared helpers of the ingestion fault tests: one harness per platform (market with late conversions, fake
 * server, connector, config section), an ingestion context on dynalite whose DynamoDB client can be made to die
 * after K metric-row writes, and byte-level snapshots of the table.
 *
 * A new platform joins the fault tests by adding its harness to HARNESSES. Connectors are built with their own
 * factories (as the registry builds them) so the tests can tune timeouts and attempts, which the registry does not.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { MemoryPublisher } from '../../../lib/events/publisher.ts';
import { startLocalDynamo } from '../../../lib/local/dynamo.ts';
import type { Platform } from '../../../lib/model/ads.ts';
import { createGoogleAdsConnector } from '../../../lib/platforms/google-ads/connector.ts';
import { createLinkedInConnector } from '../../../lib/platforms/linkedin/connector.ts';
import { createMetaConnector } from '../../../lib/platforms/meta/connector.ts';
import { createPinterestConnector } from '../../../lib/platforms/pinterest/connector.ts';
import type { Fetch, PlatformConnector } from '../../../lib/platforms/port.ts';
import { createTikTokConnector } from '../../../lib/platforms/tiktok/connector.ts';
import { createXAdsConnector } from '../../../lib/platforms/x-ads/connector.ts';
import type { Clock } from '../../../lib/runtime/clock.ts';
import type { AppContext } from '../../../lib/runtime/context.ts';
import { silentLog } from '../../../lib/runtime/log.ts';
import type { FaultHook, FaultRequest, FaultResponse, MalformedVariant } from '../../../lib/sim/faults.ts';
import { startFakeGoogleAds } from '../../../lib/sim/google-ads/server.ts';
import { startFakeLinkedIn } from '../../../lib/sim/linkedin/server.ts';
import { MarketSimulator, type Maturity } from '../../../lib/sim/market.ts';
import { startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { startFakePinterest } from '../../../lib/sim/pinterest/server.ts';
import { SAMPLE_ACCOUNT_ID, sampleMarketConfig } from '../../../lib/sim/sample-market.ts';
import { startFakeTikTok } from '../../../lib/sim/tiktok/server.ts';
import { X_JP_ACCOUNT, X_US_ACCOUNT, xAdsMarket } from '../../../lib/sim/x-ads/sample-market.ts';
import { startFakeXAds } from '../../../lib/sim/x-ads/server.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';
import { googleMarket, JP_CUSTOMER, SHARED_BUDGETS, US_CUSTOMER } from '../../fixtures/google-ads/market.ts';
import { JP_ADVERTISER, tiktokMarket, US_ADVERTISER } from '../../fixtures/tiktok/market.ts';
import { JP_ACCOUNT as LINKEDIN_JP, US_ACCOUNT as LINKEDIN_US, linkedinMarket } from '../linkedin/market.ts';
import { JP_ACCOUNT as PINTEREST_JP, US_ACCOUNT as PINTEREST_US, pinterestMarket } from '../pinterest/market.ts';

/** How the tests tune a connector: no real sleeps, short timeouts, few attempts (so whole runs do fail). */
export interface ConnectorTuning {
  readonly sleep: (ms: number) => Promise<void>;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /**
   * The run's clock, which is the market's, as the registry hands it to connectors (ConnectorOptions.clock): X Ads
   * signs `oauth_timestamp` with it (the fake rejects skew from its market clock), LinkedIn and Pinterest compute
   * rate-limit resets and the synchronous endpoint's reach from it. Connectors that take no clock ignore it.
   */
  readonly clock: Clock;
  readonly fetch?: Fetch;
}

/** A fake platform server on loopback, with a connector factory pointed at it. */
export interface RunningFake {
  readonly baseUrl: string;
  connector(tuning: ConnectorTuning): PlatformConnector;
  close(): Promise<void>;
}

export interface PlatformHarness {
  readonly platform: Platform;
  /** The market (with late conversions through `maturity`) and the accounts to ingest from it. */
  market(clock: Clock, maturity: Maturity): { market: MarketSimulator; accountIds: readonly string[] };
  /** Starts the platform's fake over the market with a fault hook. */
  startFake(market: MarketSimulator, fault: FaultHook): Promise<RunningFake>;
  /** The `platforms` section of the client config naming the accounts. */
  readonly configPatch: Record<string, unknown>;
  /** Corrupt-field variants of the 'malformed' fault, in the platform's own field names. */
  readonly corruptions: readonly MalformedVariant[];
  /** Whether a request reads daily metrics (the page a malformed-page test breaks). */
  isMetricsRequest(request: FaultRequest): boolean;
  /** A fault that breaks every metrics page in a way the connector must reject. */
  readonly brokenMetricsPage: FaultResponse;
  /** The credentials the connector holds: none may show in an error, its cause, or an event. */
  readonly secrets: readonly string[];
}

const TOKEN = 'fault-test-token';

export const META: PlatformHarness = {
  platform: 'meta',
  market: (clock, maturity) => ({
    market: new MarketSimulator({ ...sampleMarketConfig(7), clock, maturity }),
    accountIds: [SAMPLE_ACCOUNT_ID],
  }),
  startFake: async (market, fault) => {
    const fake = await startFakeMeta({ market, accessToken: TOKEN, pageSize: 10, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) =>
        createMetaConnector({
          baseUrl: fake.baseUrl,
          apiVersion: 'v25.0',
          accessToken: TOKEN,
          purchaseActionType: 'omni_purchase',
          ...tuning,
        }),
    };
  },
  configPatch: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
  corruptions: [
    { field: 'spend', index: 2, value: 'twelve' },
    { field: 'impressions', index: 0, value: -3 },
  ],
  isMetricsRequest: (request) => request.path.endsWith('/insights'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'spend', index: 3, value: '1.2.3' } },
  secrets: [TOKEN],
};

export const GOOGLE_ADS: PlatformHarness = {
  platform: 'google-ads',
  market: (clock, maturity) => ({ market: googleMarket(clock, { maturity }), accountIds: [US_CUSTOMER, JP_CUSTOMER] }),
  startFake: async (market, fault) => {
    const fake = await startFakeGoogleAds({ market, accessToken: TOKEN, sharedBudgets: SHARED_BUDGETS, rowsPerBatch: 40, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) => createGoogleAdsConnector({ baseUrl: fake.baseUrl, apiVersion: 'v26', accessToken: TOKEN, ...tuning }),
    };
  },
  configPatch: { 'google-ads': { customerIds: [US_CUSTOMER, JP_CUSTOMER] } },
  corruptions: [
    { field: 'metrics.costMicros', index: 1, value: '12.5' },
    { field: 'segments.date', index: 0, value: 'yesterday' },
  ],
  isMetricsRequest: (request) => (request.query.query ?? '').includes('segments.date'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'metrics.clicks', index: 2, value: 'many' } },
  secrets: [TOKEN],
};

export const TIKTOK: PlatformHarness = {
  platform: 'tiktok',
  market: (clock, maturity) => ({ market: tiktokMarket(clock, { maturity }), accountIds: [US_ADVERTISER, JP_ADVERTISER] }),
  startFake: async (market, fault) => {
    const fake = await startFakeTikTok({ market, accessToken: TOKEN, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) => createTikTokConnector({ baseUrl: fake.baseUrl, accessToken: TOKEN, pageSize: 4, ...tuning }),
    };
  },
  configPatch: { tiktok: { advertiserIds: [US_ADVERTISER, JP_ADVERTISER] } },
  corruptions: [
    { field: 'metrics.spend', index: 1, value: 'abc' },
    { field: 'dimensions.stat_time_day', index: 0, value: '2026/10/01' },
  ],
  isMetricsRequest: (request) => request.path.includes('report/integrated/get'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'metrics.impressions', index: 1, value: '12.5' } },
  secrets: [TOKEN],
};

/** LinkedIn: both accounts on UTC (LinkedIn reports UTC days); small pages and campaign lists so reads take several requests. */
export const LINKEDIN: PlatformHarness = {
  platform: 'linkedin',
  market: (clock, maturity) => ({ market: linkedinMarket(clock, { maturity }), accountIds: [LINKEDIN_US, LINKEDIN_JP] }),
  startFake: async (market, fault) => {
    const fake = await startFakeLinkedIn({ market, accessToken: TOKEN, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) =>
        createLinkedInConnector({
          baseUrl: fake.baseUrl,
          version: '202601',
          accessToken: TOKEN,
          pageSize: 2,
          maxCampaignsPerRequest: 3,
          ...tuning,
        }),
    };
  },
  configPatch: { linkedin: { accountIds: [LINKEDIN_US, LINKEDIN_JP] } },
  corruptions: [
    { field: 'costInLocalCurrency', index: 1, value: 12.5 },
    { field: 'dateRange.start.day', index: 0, value: '01' },
  ],
  isMetricsRequest: (request) => request.path.endsWith('/adAnalytics'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'impressions', index: 0, value: '12' } },
  secrets: [TOKEN],
};

const X_CREDENTIALS = {
  consumerKey: 'fault-test-consumer-key',
  consumerSecret: 'fault-test-consumer-secret',
  accessToken: 'fault-test-access-token',
  accessTokenSecret: 'fault-test-token-secret',
};

/** X Ads: Los Angeles (DST ended the day before the runs start) and Tokyo; every request OAuth 1.0a-signed on the market clock. */
export const X_ADS: PlatformHarness = {
  platform: 'x-ads',
  market: (clock, maturity) => ({ market: xAdsMarket(clock, { maturity }), accountIds: [X_US_ACCOUNT, X_JP_ACCOUNT] }),
  startFake: async (market, fault) => {
    const fake = await startFakeXAds({ market, credentials: X_CREDENTIALS, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) => createXAdsConnector({ baseUrl: fake.baseUrl, apiVersion: '12', ...X_CREDENTIALS, pageSize: 3, ...tuning }),
    };
  },
  configPatch: { 'x-ads': { accountIds: [X_US_ACCOUNT, X_JP_ACCOUNT] } },
  corruptions: [
    { field: 'id_data.0.metrics.impressions', index: 0, value: [1.5] },
    { field: 'id_data.0.metrics.billed_charge_local_micro', index: 1, value: ['12.5'] },
  ],
  isMetricsRequest: (request) => request.path.includes('/stats/accounts/'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'id_data.0.metrics.clicks', index: 0, value: ['many'] } },
  secrets: Object.values(X_CREDENTIALS),
};

/** Pinterest: both ad accounts on UTC (Pinterest reports UTC dates); small list pages so listing takes bookmarks. */
export const PINTEREST: PlatformHarness = {
  platform: 'pinterest',
  market: (clock, maturity) => ({ market: pinterestMarket(clock, { maturity }), accountIds: [PINTEREST_US, PINTEREST_JP] }),
  startFake: async (market, fault) => {
    const fake = await startFakePinterest({ market, accessToken: TOKEN, fault });
    return {
      baseUrl: fake.baseUrl,
      close: () => fake.close(),
      connector: (tuning) =>
        createPinterestConnector({ baseUrl: fake.baseUrl, credentials: { accessToken: TOKEN }, pageSize: 2, ...tuning }),
    };
  },
  configPatch: { pinterest: { adAccountIds: [PINTEREST_US, PINTEREST_JP] } },
  corruptions: [
    { field: 'SPEND_IN_MICRO_DOLLAR', index: 1, value: 'abc' },
    { field: 'DATE', index: 0, value: '2026/10/01' },
  ],
  isMetricsRequest: (request) => request.path.endsWith('/ad_groups/analytics'),
  brokenMetricsPage: { kind: 'malformed', corrupt: { field: 'IMPRESSION_1', index: 0, value: 12.5 } },
  secrets: [TOKEN],
};

/** Every platform the fault tests cover. */
export const HARNESSES: readonly PlatformHarness[] = [META, GOOGLE_ADS, TIKTOK, LINKEDIN, X_ADS, PINTEREST];

/**
 * Late conversions: 35% of a day's conversions on the day after, 13 points more each day, final from 5 days on:
 * well inside every platform's restatement window (the shortest, TikTok's, is 7 days), so the last re-read of a
 * day sees its final numbers.
 */
export const risingMaturity: Maturity = (age) => (age >= 5 ? 1 : Math.max(0, 0.35 + 0.13 * age));

/** The ingestion context on dynalite, with a store whose metric-row writes can be cut off. */
export interface IngestTestContext {
  readonly ctx: AppContext;
  readonly events: MemoryPublisher;
  /** Every write request the store sent to DynamoDB, as `<command> <partition key>`, oldest first. */
  readonly writes: string[];
  /** Makes the store's DynamoDB client throw on every metric-row write after the next `k` (until `heal()`). */
  dieAfterMetricWrites(k: number): void;
  /** Makes the watermark write throw (until `heal()`): the crash between the rows and the watermark. */
  dieOnWatermark(): void;
  heal(): void;
  /** Every item of the table as DynamoDB returns it, sorted by key: equal snapshots mean byte-identical tables. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
}

/** A crash injected into the store's DynamoDB client. */
export class InjectedStoreCrashError extends Error {
  override readonly name = 'InjectedStoreCrashError';
}

interface ClientInput {
  readonly Item?: Record<string, unknown>;
  readonly Key?: Record<string, unknown>;
  readonly RequestItems?: Record<
    string,
    { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: { Key?: Record<string, unknown> } }[]
  >;
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** Partition keys of the items a write request touches, in request order. */
function writtenKeys(input: ClientInput): string[] {
  const single = stringAttribute(input.Item?.pk) ?? stringAttribute(input.Key?.pk);
  if (single !== undefined) return [single];
  return Object.values(input.RequestItems ?? {}).flatMap((requests) =>
    requests.map((r) => stringAttribute(r.PutRequest?.Item?.pk) ?? stringAttribute(r.DeleteRequest?.Key?.pk) ?? '?'),
  );
}

/** Starts dynalite and builds the context `ingestAccount` runs in. */
export async function startIngestContext(options: {
  clock: Clock;
  configPatch: Record<string, unknown>;
  connector: (platform: Platform) => Promise<PlatformConnector>;
}): Promise<IngestTestContext> {
  const dynamo = await startLocalDynamo();
  // A client of its own, so the crash middleware touches only the store under test.
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let metricWritesLeft = Number.POSITIVE_INFINITY;
  const writes: string[] = [];
  let watermarkDies = false;
  // At 'initialize' the input is still the document client's (unmarshalled), and a changed input is what gets sent.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!WRITE_COMMANDS.has(command)) return next(args);
      const input = args.input as ClientInput;
      const keys = writtenKeys(input);
      writes.push(...keys.map((key) => `${command} ${key}`));
      if (watermarkDies && keys.includes('WATERMARK')) throw new InjectedStoreCrashError('store died before the watermark');
      const metricRows = keys.filter((key) => key.startsWith('MET#')).length;
      if (metricRows === 0) return next(args);
      if (metricWritesLeft >= metricRows) {
        metricWritesLeft -= metricRows;
        return next(args);
      }
      // The process dies partway: the first `metricWritesLeft` rows of this request land, the rest never leave.
      const survivors = metricWritesLeft;
      metricWritesLeft = 0;
      if (survivors > 0 && input.RequestItems) {
        const [table, requests = []] = Object.entries(input.RequestItems)[0] ?? [];
        await next({ ...args, input: { ...input, RequestItems: { [table ?? '']: requests.slice(0, survivors) } } });
      }
      throw new InjectedStoreCrashError(`store died after ${survivors} of ${metricRows} rows of a ${command}`);
    },
    { step: 'initialize', name: 'injectStoreCrash' },
  );
  const config = parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode: 'dry-run' },
    platforms: options.configPatch,
    report: { recipients: ['lead@acme.example'] },
  });
  const events = new MemoryPublisher();
  const ctx: AppContext = {
    config,
    clock: options.clock,
    store: new DynamoStore(client, dynamo.tableName),
    events,
    mailer: {
      send: async () => {
        throw new Error('ingestion sends no email');
      },
    },
    sender: 'adpilot@acme.invalid',
    connector: options.connector,
    log: silentLog,
  };
  return {
    ctx,
    events,
    writes,
    dieAfterMetricWrites: (k) => {
      metricWritesLeft = k;
    },
    dieOnWatermark: () => {
      watermarkDies = true;
    },
    heal: () => {
      metricWritesLeft = Number.POSITIVE_INFINITY;
      watermarkDies = false;
    },
    snapshot: async () => {
      const items: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.client.send(
          new ScanCommand({ TableName: dynamo.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start as never } : {}) }),
        );
        for (const item of page.Items ?? []) items.push(JSON.stringify(sortedKeys(item)));
        start = page.LastEvaluatedKey;
      } while (start);
      return items.sort();
    },
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}

function stringAttribute(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
}

/** The same object with keys in a fixed order at every level, so equal items serialize to equal text. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The Store on DynamoDB (and dynalite, which speaks the same API). Every item carries
 * `kind` and a schema `version`; items are validated with zod when read back.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { Ad, AdAccount, type AdDailyMetric, AdSet, type DailyMetric, type Platform, StoredDailyMetric, sameValues } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import { dateRange } from '../model/dates.ts';
import type { HourlyMetric } from '../platforms/hourly.ts';
import { StoredAdDailyMetric } from './ad-metrics.ts';
import { StoreError } from './errors.ts';
import { hourlyExpiresAt, StoredHourlyMetric } from './hourly.ts';
import { keys } from './keys.ts';
import { AnomalyRecord, BudgetChangeRecord, BudgetPlan, ReportRecord, TestEvaluationRecord } from './records.ts';
import type { Lease, Store, UpsertResult, WriteOptions } from './store.ts';
import { GSI_BY_ENTITY } from './table-definition.ts';

const SCHEMA_VERSION = 1;
/** Room left for the report model in a 400 KB item, with the keys and attributes around it. */
const MAX_MODEL_BYTES = 380_000;
/** Parallel conditional writes per batch: high enough to keep ingestion fast, low enough to stay polite to on-demand capacity. */
const WRITE_CONCURRENCY = 16;
/** BatchWriteItem's limit. */
const BATCH_SIZE = 25;
/** Batches in flight at once on the exclusive write path (each carries up to 25 puts). */
const BATCH_CONCURRENCY = 4;
/** Resends of a batch's unprocessed items (throttled partitions) before giving up, with exponential backoff from 50 ms. */
const MAX_BATCH_ATTEMPTS = 8;
/** Lease items stay this long past their expiry before DynamoDB's TTL may delete them (expiry itself is checked on `leaseUntil`). */
const LEASE_TTL_GRACE_SECONDS = 3600;

type Item = Record<string, unknown>;

export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  // ---------- accounts and ad sets ----------

  async putAccount(account: AdAccount): Promise<void> {
    await this.put({ ...keys.account(account.platform, account.accountId), kind: 'account', ...AdAccount.parse(account) });
  }

  async getAccount(platform: Platform, accountId: string): Promise<AdAccount | undefined> {
    const item = await this.get(keys.account(platform, accountId));
    return item ? parseItem(AdAccount, item, 'account') : undefined;
  }

  async listAccounts(): Promise<AdAccount[]> {
    const items = await this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.accounts().pk } });
    return items.map((item) => parseItem(AdAccount, item, 'account'));
  }

  async upsertAdSets(adsets: readonly AdSet[], options: WriteOptions = {}): Promise<UpsertResult> {
    let written = 0;
    let unchanged = 0;
    const byAccount = groupBy(adsets, (a) => `${a.platform}\u0000${a.accountId}`);
    for (const group of byAccount.values()) {
      const first = group[0];
      if (!first) continue;
      const stored = new Map((await this.listAdSets(first.platform, first.accountId)).map((a) => [a.adsetId, a]));
      const changed = group.filter((adset) => {
        const before = stored.get(adset.adsetId);
        return !before || JSON.stringify(AdSet.parse(before)) !== JSON.stringify(AdSet.parse(adset));
      });
      unchanged += group.length - changed.length;
      if (options.exclusive) {
        await this.batchPut(changed.map((adset) => this.adsetItem(adset)));
        written += changed.length;
        continue;
      }
      await inBatches(changed, WRITE_CONCURRENCY, async (adset) => {
        await this.put(this.adsetItem(adset));
        written += 1;
      });
    }
    return { written, unchanged };
  }

  async listAdSets(platform?: Platform, accountId?: string): Promise<AdSet[]> {
    const accounts =
      platform && accountId
        ? [{ platform, accountId }]
        : (await this.listAccounts()).filter((a) => (!platform || a.platform === platform) && (!accountId || a.accountId === accountId));
    const out: AdSet[] = [];
    for (const account of accounts) {
      const items = await this.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.adsetPartition(account.platform, account.accountId), ':prefix': 'ADSET#' },
      });
      out.push(...items.map((item) => parseItem(AdSet, item, 'ad set')));
    }
    return out;
  }

  async getAdSet(platform: Platform, accountId: string, adsetId: string): Promise<AdSet | undefined> {
    const item = await this.get(keys.adset(platform, accountId, adsetId));
    return item ? parseItem(AdSet, item, 'ad set') : undefined;
  }

  // ---------- daily metrics ----------

  async upsertDailyMetrics(rows: readonly DailyMetric[], fetchedAt: Date, options: WriteOptions = {}): Promise<UpsertResult> {
    const at = fetchedAt.toISOString();
    let written = 0;
    let unchanged = 0;
    const byAccount = groupBy(rows, (r) => `${r.platform}\u0000${r.accountId}`);
    for (const group of byAccount.values()) {
      const first = group[0];
      if (!first) continue;
      const dates = group.map((r) => r.date).sort();
      const stored = await this.metricsForAccount(first.platform, first.accountId, dates[0] ?? first.date, dates.at(-1) ?? first.date);
      const storedByKey = new Map(stored.map((r) => [`${r.adsetId}\u0000${r.date}`, r]));
      const seen = new Set<string>();
      const work: { row: DailyMetric; before: StoredDailyMetric | undefined }[] = [];
      for (const row of group) {
        const key = `${row.adsetId}\u0000${row.date}`;
        if (seen.has(key)) throw new StoreError(`duplicate metric row in one upsert: ${row.platform} ${row.adsetId} ${row.date}`);
        seen.add(key);
        const before = storedByKey.get(key);
        if (before && sameValues(before, row)) unchanged += 1;
        else work.push({ row, before });
      }
      if (options.exclusive) {
        // No other writer can have changed these rows since the Query above: the comparison still holds.
        const items: Item[] = [];
        for (const { row, before } of work) {
          if (before && before.fetchedAt > at)
            unchanged += 1; // a newer fetch already wrote it: never regress
          else items.push(metricItem(storedRow(row, before, at)));
        }
        await this.batchPut(items);
        written += items.length;
        continue;
      }
      await inBatches(work, WRITE_CONCURRENCY, async ({ row, before }) => {
        if (before && before.fetchedAt > at) {
          // A newer fetch already wrote this row: never regress to older data.
          unchanged += 1;
          return;
        }
        const item = storedRow(row, before, at);
        try {
          await this.doc.send(
            new PutCommand({
              TableName: this.tableName,
              Item: metricItem(item),
              // Optimistic lock: the row is still what we compared against.
              ConditionExpression: before ? 'revision = :rev AND fetchedAt <= :at' : 'attribute_not_exists(pk)',
              ExpressionAttributeValues: before ? { ':rev': before.revision, ':at': at } : undefined,
            }),
          );
          written += 1;
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) {
            throw new StoreError(`metric row changed concurrently: ${row.platform} ${row.adsetId} ${row.date}; retry the ingestion`, {
              cause: error,
            });
          }
          throw error;
        }
      });
    }
    return { written, unchanged };
  }

  async metricsForAccount(platform: Platform, accountId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.metricPartition(platform, accountId), ':from': `D#${from}#`, ':to': `D#${to}#\uffff` },
    });
    return items.map((item) => parseItem(StoredDailyMetric, item, 'metric row'));
  }

  async metricsForAdSet(platform: Platform, adsetId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]> {
    const items = await this.query({
      IndexName: GSI_BY_ENTITY.indexName,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `E#${platform}#${adsetId}`, ':from': `D#${from}`, ':to': `D#${to}` },
    });
    return items.map((item) => parseItem(StoredDailyMetric, item, 'metric row'));
  }

  // ---------- ads of A/B test arms ----------

  async upsertAds(ads: readonly Ad[]): Promise<UpsertResult> {
    let written = 0;
    for (const ad of ads) {
      const before = await this.getAd(ad.platform, ad.adId);
      if (before && JSON.stringify(Ad.parse(before)) === JSON.stringify(Ad.parse(ad))) continue;
      await this.put({ ...keys.ad(ad.platform, ad.adId), kind: 'ad', ...Ad.parse(ad) });
      written += 1;
    }
    return { written, unchanged: ads.length - written };
  }

  async getAd(platform: Platform, adId: string): Promise<Ad | undefined> {
    const item = await this.get(keys.ad(platform, adId));
    return item ? parseItem(Ad, item, 'ad') : undefined;
  }

  async putAdMetrics(rows: readonly AdDailyMetric[], fetchedAt: Date): Promise<UpsertResult> {
    const at = fetchedAt.toISOString();
    let written = 0;
    for (const group of groupBy(rows, (r) => `${r.platform}\u0000${r.adId}`).values()) {
      const first = group[0];
      if (!first) continue;
      const dates = group.map((r) => r.date).sort();
      const stored = new Map(
        (await this.metricsForAd(first.platform, first.adId, dates[0] ?? first.date, dates.at(-1) ?? first.date)).map((r) => [r.date, r]),
      );
      const seen = new Set<string>();
      // Checked before anything is written: a bad batch writes nothing.
      for (const row of group) {
        if (seen.has(row.date)) throw new StoreError(`duplicate ad row in one write: ${row.platform} ${row.adId} ${row.date}`);
        seen.add(row.date);
      }
      for (const row of group) {
        const before = stored.get(row.date);
        if (before && sameValues(before, row) && before.adsetId === row.adsetId) continue;
        await this.put({
          ...keys.adMetric(row.platform, row.adId, row.date),
          kind: 'ad-metric',
          ...StoredAdDailyMetric.parse({ ...row, fetchedAt: at }),
        });
        written += 1;
      }
    }
    return { written, unchanged: rows.length - written };
  }

  async metricsForAd(platform: Platform, adId: string, from: LocalDate, to: LocalDate): Promise<StoredAdDailyMetric[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.ad(platform, adId).pk, ':from': `D#${from}`, ':to': `D#${to}` },
    });
    return items.map((item) => parseItem(StoredAdDailyMetric, item, 'ad row'));
  }

  // ---------- hourly delivery ----------

  async putHourlyMetrics(rows: readonly HourlyMetric[], fetchedAt: Date, options: WriteOptions = {}): Promise<UpsertResult> {
    const at = fetchedAt.toISOString();
    let written = 0;
    let unchanged = 0;
    for (const group of groupBy(rows, (r) => `${r.platform}\u0000${r.accountId}`).values()) {
      const first = group[0];
      if (!first) continue;
      const dates = group.map((r) => r.date).sort();
      const stored = await this.hourlyMetricsForAccount(
        first.platform,
        first.accountId,
        dates[0] ?? first.date,
        dates.at(-1) ?? first.date,
      );
      const storedByKey = new Map(stored.map((r) => [hourKey(r), r]));
      const seen = new Set<string>();
      const items: Item[] = [];
      for (const row of group) {
        const key = hourKey(row);
        if (seen.has(key))
          throw new StoreError(`duplicate hourly row in one write: ${row.platform} ${row.adsetId} ${row.date} hour ${row.hour}`);
        seen.add(key);
        const before = storedByKey.get(key);
        // Past hours rarely change: comparing first keeps an hourly run to the hours that moved.
        if (before && sameHour(before, row)) {
          unchanged += 1;
          continue;
        }
        items.push(hourlyItem(row, at));
      }
      // Last writer wins: the rows of an hour are replaced whole by each run, and no other item depends on them.
      if (options.exclusive) await this.batchPut(items);
      else await inBatches(items, WRITE_CONCURRENCY, (item) => this.put(item));
      written += items.length;
    }
    return { written, unchanged };
  }

  async hourlyMetricsForAccount(platform: Platform, accountId: string, from: LocalDate, to: LocalDate): Promise<StoredHourlyMetric[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.hourlyPartition(platform, accountId), ':from': `D#${from}#`, ':to': `D#${to}#\uffff` },
    });
    return items.map((item) => parseItem(StoredHourlyMetric, item, 'hourly row'));
  }

  async setWatermark(platform: Platform, accountId: string, through: LocalDate, at: Date): Promise<void> {
    // Only ever moves forward.
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.watermark(platform, accountId), kind: 'watermark', version: SCHEMA_VERSION, through, at: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk) OR through <= :through',
          ExpressionAttributeValues: { ':through': through },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getWatermark(platform: Platform, accountId: string): Promise<{ through: LocalDate; at: string } | undefined> {
    const item = await this.get(keys.watermark(platform, accountId));
    return item ? { through: String(item.through), at: String(item.at) } : undefined;
  }

  async watchedSince(platform: Platform, accountId: string, at: Date): Promise<string> {
    const key = keys.watched(platform, accountId);
    // Read first: after the first check the item is always there, and a failed conditional put would cost a write.
    const stored = await this.get(key);
    if (stored) return String(stored.at);
    if (await this.putIfAbsent({ ...key, kind: 'watched', at: at.toISOString() })) return at.toISOString();
    const raced = await this.get(key);
    return raced ? String(raced.at) : at.toISOString();
  }

  // ---------- plans and changes ----------

  async putPlanIfAbsent(plan: BudgetPlan): Promise<BudgetPlan> {
    const parsed = BudgetPlan.parse(plan);
    const created = await this.putIfAbsent({ ...keys.plan(plan.planId), gsi1sk: plan.createdAt, kind: 'plan', ...parsed });
    if (created) return parsed;
    const existing = await this.getPlan(plan.planId);
    if (!existing) throw new StoreError(`plan ${plan.planId} vanished`);
    return existing;
  }

  async getPlan(planId: string): Promise<BudgetPlan | undefined> {
    const item = await this.get(keys.plan(planId));
    return item ? parseItem(BudgetPlan, item, 'plan') : undefined;
  }

  async transitionPlan(planId: string, from: BudgetPlan['status'], to: BudgetPlan['status'], at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.plan(planId).pk, sk: keys.plan(planId).sk },
          UpdateExpression: 'SET #status = :to, updatedAt = :at',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listPlans(limit = 50): Promise<BudgetPlan[]> {
    const items = await this.query(
      {
        IndexName: GSI_BY_ENTITY.indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'PLANS' },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map((item) => parseItem(BudgetPlan, item, 'plan'));
  }

  async appendChange(change: BudgetChangeRecord): Promise<boolean> {
    const parsed = BudgetChangeRecord.parse(change);
    return this.putIfAbsent({
      ...keys.change(change.changeId),
      gsi1pk: keys.changeLog(change.platform, change.adsetId),
      gsi1sk: `${change.appliedAt}#${change.changeId}`,
      kind: 'change',
      ...parsed,
    });
  }

  async getChange(changeId: string): Promise<BudgetChangeRecord | undefined> {
    const item = await this.get(keys.change(changeId));
    return item ? parseItem(BudgetChangeRecord, item, 'budget change') : undefined;
  }

  async changesForAdSet(platform: Platform, adsetId: string): Promise<BudgetChangeRecord[]> {
    const items = await this.query({
      IndexName: GSI_BY_ENTITY.indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.changeLog(platform, adsetId) },
    });
    return items.map((item) => parseItem(BudgetChangeRecord, item, 'budget change'));
  }

  async changesForPlan(planId: string): Promise<BudgetChangeRecord[]> {
    const plan = await this.getPlan(planId);
    if (!plan || plan.changes.length === 0) return [];
    const out: BudgetChangeRecord[] = [];
    const ids = plan.changes.map((c) => c.changeId);
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Item[] }> | undefined = {
        [this.tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.change(id)) },
      };
      while (request && Object.keys(request).length > 0) {
        const response = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        out.push(...(response.Responses?.[this.tableName] ?? []).map((item) => parseItem(BudgetChangeRecord, item, 'budget change')));
        request = response.UnprocessedKeys as Record<string, { Keys: Item[] }> | undefined;
      }
    }
    return out.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.changeId.localeCompare(b.changeId));
  }

  // ---------- anomalies, tests, reports ----------

  async putAnomalyIfAbsent(anomaly: AnomalyRecord): Promise<boolean> {
    return this.putIfAbsent({
      ...keys.anomaly(anomaly.date, anomaly.platform, anomaly.adsetId, anomaly.faultType),
      kind: 'anomaly',
      ...AnomalyRecord.parse(anomaly),
    });
  }

  async anomaliesBetween(from: LocalDate, to: LocalDate): Promise<AnomalyRecord[]> {
    const out: AnomalyRecord[] = [];
    for (const date of dateRange(from, to)) {
      const items = await this.query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.anomalyPartition(date) },
      });
      out.push(...items.map((item) => parseItem(AnomalyRecord, item, 'anomaly')));
    }
    return out;
  }

  async putTestEvaluation(evaluation: TestEvaluationRecord): Promise<void> {
    await this.put({
      ...keys.testEvaluation(evaluation.testId, evaluation.date),
      kind: 'test-evaluation',
      ...TestEvaluationRecord.parse(evaluation),
    });
  }

  async testEvaluations(testId: string): Promise<TestEvaluationRecord[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `TEST#${testId}`, ':prefix': 'EVAL#' },
    });
    return items.map((item) => parseItem(TestEvaluationRecord, item, 'test evaluation'));
  }

  async putReportModel(week: string, model: unknown, at: Date): Promise<void> {
    // Gzipped: a 500-ad-set model is ~400 KB of JSON, DynamoDB's item limit; compressed it is a tenth of that.
    const gzipped = gzipSync(JSON.stringify(model));
    if (gzipped.byteLength > MAX_MODEL_BYTES) {
      throw new StoreError(
        `the report model of ${week} is ${gzipped.byteLength} bytes compressed, over the ${MAX_MODEL_BYTES}-byte item budget`,
      );
    }
    await this.put({ ...keys.reportModel(week), kind: 'report-model', modelGzip: gzipped, computedAt: at.toISOString() });
  }

  async getReportModel(week: string): Promise<unknown | undefined> {
    const item = await this.get(keys.reportModel(week));
    if (!item) return undefined;
    if (!(item.modelGzip instanceof Uint8Array)) throw new StoreError(`stored report model of ${week} has no modelGzip`);
    return JSON.parse(gunzipSync(item.modelGzip).toString('utf8'));
  }

  async putReportIfAbsent(report: ReportRecord): Promise<boolean> {
    return this.putIfAbsent({ ...keys.report(report.week), kind: 'report', ...ReportRecord.parse(report) });
  }

  async getReport(week: string): Promise<ReportRecord | undefined> {
    const item = await this.get(keys.report(week));
    return item ? parseItem(ReportRecord, item, 'report') : undefined;
  }

  // ---------- leases ----------

  async acquireLease(resource: string, slots: number, holder: string, now: Date, ttlMs: number): Promise<Lease | undefined> {
    if (!Number.isInteger(slots) || slots < 1) throw new StoreError(`a lease needs at least one slot, got ${slots} for ${resource}`);
    const until = new Date(now.getTime() + ttlMs);
    for (let slot = 0; slot < slots; slot++) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.lease(resource, slot),
              kind: 'lease',
              version: SCHEMA_VERSION,
              resource,
              slot,
              holder,
              leaseUntil: until.getTime(),
              expiresAt: Math.ceil(until.getTime() / 1000) + LEASE_TTL_GRACE_SECONDS,
            },
            // Free, or held by a run that outlived its lease (it crashed or timed out): take it over.
            ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil <= :now',
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        );
        return { resource, slot, holder, until: until.toISOString() };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return undefined;
  }

  async releaseLease(lease: Lease): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.lease(lease.resource, lease.slot),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': lease.holder },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // ---------- helpers ----------

  private async put(item: Item): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { version: SCHEMA_VERSION, ...item } }));
  }

  private adsetItem(adset: AdSet): Item {
    return { version: SCHEMA_VERSION, ...keys.adset(adset.platform, adset.accountId, adset.adsetId), kind: 'adset', ...AdSet.parse(adset) };
  }

  /** Unconditional puts, 25 per BatchWriteItem, a few batches in flight; unprocessed items are resent with backoff. */
  private async batchPut(items: readonly Item[]): Promise<void> {
    const batches: Item[][] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
    await inBatches(batches, BATCH_CONCURRENCY, async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) {
          if (attempt > MAX_BATCH_ATTEMPTS) {
            throw new StoreError(
              `${pending.length} items stayed unprocessed after ${MAX_BATCH_ATTEMPTS} batch writes; retry the ingestion`,
            );
          }
          await delay(50 * 2 ** (attempt - 2));
        }
        const response = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (response.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    });
  }

  private async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { version: SCHEMA_VERSION, ...item },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
    );
    return response.Item;
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>, limit?: number): Promise<Item[]> {
    const out: Item[] = [];
    for await (const page of paginateQuery({ client: this.doc }, { TableName: this.tableName, ...input })) {
      out.push(...(page.Items ?? []));
      if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
    }
    return out;
  }
}

/** A fetched row as stored after `before` (undefined: new): fetched now, one revision later. */
function storedRow(row: DailyMetric, before: StoredDailyMetric | undefined, at: string): StoredDailyMetric {
  return { ...row, fetchedAt: at, firstFetchedAt: before?.firstFetchedAt ?? at, revision: before ? before.revision + 1 : 0 };
}

/** The DynamoDB item of a stored metric row: its keys, kind and schema version around the validated row. */
/** The item of an hourly row (exported for the ingest bench, which writes the same items bare). */
export function hourlyItem(row: HourlyMetric, fetchedAt: string): Item {
  return {
    ...keys.hourly(row.platform, row.accountId, row.adsetId, row.date, row.hour),
    kind: 'hourly',
    version: SCHEMA_VERSION,
    expiresAt: hourlyExpiresAt(row.date),
    ...StoredHourlyMetric.parse({ ...row, fetchedAt }),
  };
}

export function metricItem(row: StoredDailyMetric): Item {
  return {
    ...keys.metric(row.platform, row.accountId, row.adsetId, row.date),
    kind: 'metric',
    version: SCHEMA_VERSION,
    ...StoredDailyMetric.parse(row),
  };
}

function hourKey(row: Pick<HourlyMetric, 'adsetId' | 'date' | 'hour'>): string {
  return `${row.adsetId}\u0000${row.date}\u0000${row.hour}`;
}

function sameHour(a: HourlyMetric, b: HourlyMetric): boolean {
  return a.spendMicros === b.spendMicros && a.impressions === b.impressions && a.clicks === b.clicks && a.currency === b.currency;
}

function parseItem<T extends z.ZodType>(schema: T, item: Item, what: string): z.infer<T> {
  const result = schema.safeParse(item);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StoreError(
      `stored ${what} ${String(item.pk)}/${String(item.sk)} is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message}`,
    );
  }
  return result.data;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(fn));
  }
}

/**
 * The local DynamoDB: dynalite running in-process on loopback, in memory or persisted under
 * `<dataDir>/dynamodb`, with the client's table created from lib/store/table-definition.ts.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION, type TableDefinition } from '../store/table-definition.ts';

interface DynaliteOptions {
  /** LevelDB directory; in memory when absent. */
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
type Dynalite = (options: DynaliteOptions) => Server;
// dynalite ships no type declarations (its JSDoc types are not read without allowJs), so it is
// loaded through require and typed here with the little the runtime uses.
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** The local DynamoDB could not be started (for example: another process holds the data dir). */
export class LocalDynamoError extends Error {
  override readonly name = 'LocalDynamoError';
}

export const DEFAULT_TABLE_NAME = 'adpilot';
const LOCAL_REGION = 'local';
// Static dummy credentials: dynalite checks that requests are signed, not by whom, and static
// values keep the SDK from walking the credential chain (env, files, instance metadata).
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (random port) and ensures the client table exists. */
export async function startLocalDynamo(opts: { dataDir?: string; tableName?: string } = {}): Promise<LocalDynamo> {
  const tableName = opts.tableName ?? DEFAULT_TABLE_NAME;
  const dbDir = opts.dataDir === undefined ? undefined : join(opts.dataDir, 'dynamodb');
  if (dbDir !== undefined) {
    await mkdir(dbDir, { recursive: true });
    await acquireLock(`${dbDir}.lock`);
  }
  const server = dynalite({ ...(dbDir === undefined ? {} : { path: dbDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (dbDir !== undefined) await rm(`${dbDir}.lock`, { force: true });
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

  const close = async (): Promise<void> => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    if (dbDir !== undefined) await rm(`${dbDir}.lock`, { force: true });
  };
  try {
    await ensureTable(client, tableName, TABLE_DEFINITION);
  } catch (err) {
    await close();
    throw err;
  }
  return { endpoint, client, tableName, close };
}

/**
 * The CreateTable request for a table definition (the same shape infra/ gives CloudFormation).
 * TTL (def.timeToLiveAttribute) is left out: dynalite implements neither UpdateTimeToLive nor
 * expiry, so locally expired items simply stay (no reader may rely on expiry for correctness).
 */
export function createTableInput(tableName: string, def: TableDefinition): CreateTableCommandInput {
  const keyNames = new Set([def.partitionKey, def.sortKey, ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey])]);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      { AttributeName: def.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

async function ensureTable(client: DynamoDBClient, tableName: string, def: TableDefinition): Promise<void> {
  if ((await tableStatus(client, tableName)) === undefined) {
    await client.send(new CreateTableCommand(createTableInput(tableName, def)));
  }
  // createTableMs is 0, so the table turns ACTIVE on the next timer tick; poll briefly for it.
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await tableStatus(client, tableName)) === 'ACTIVE') return;
    await delay(5);
  }
  throw new LocalDynamoError(`table ${tableName} did not become ACTIVE`);
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? 'UNKNOWN';
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/**
 * Takes `<dbDir>.lock` for this process. LevelDB allows one opener per directory and dynalite
 * crashes the process on the first request when it lost that race, so a second `adpilot` on the
 * same data dir must fail here with a clear message instead. A lock left by a dead process is taken over.
 */
async function acquireLock(lockFile: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new LocalDynamoError(`the local database ${lockFile.replace(/\.lock$/, '')} is in use by process ${holder}`);
    }
    if (holder === process.pid) {
      throw new LocalDynamoError(`the local database ${lockFile.replace(/\.lock$/, '')} is already open in this process`);
    }
    await rm(lockFile, { force: true });
  }
  throw new LocalDynamoError(`could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

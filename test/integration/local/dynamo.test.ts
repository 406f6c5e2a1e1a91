import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE_NAME, type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import { TABLE_DEFINITION } from '../../../lib/store/table-definition.ts';

describe('startLocalDynamo', () => {
  let dataDir: string;
  const open: LocalDynamo[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'adpilot-dynamo-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(opts: { dataDir?: string; tableName?: string }): Promise<LocalDynamo> {
    const dynamo = await startLocalDynamo(opts);
    open.push(dynamo);
    return dynamo;
  }
  async function stop(dynamo: LocalDynamo): Promise<void> {
    open.splice(open.indexOf(dynamo), 1);
    await dynamo.close();
  }

  it('creates the table with the keys, index and billing mode of TABLE_DEFINITION', async () => {
    const dynamo = await start({});
    expect(dynamo.tableName).toBe(DEFAULT_TABLE_NAME);
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: dynamo.tableName }));
    const hashOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
      schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const rangeOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
      schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    expect({
      status: Table?.TableStatus,
      billing: Table?.BillingModeSummary?.BillingMode,
      partitionKey: hashOf(Table?.KeySchema),
      sortKey: rangeOf(Table?.KeySchema),
      globalSecondaryIndexes: Table?.GlobalSecondaryIndexes?.map((g) => ({
        indexName: g.IndexName,
        partitionKey: hashOf(g.KeySchema),
        sortKey: rangeOf(g.KeySchema),
        projection: g.Projection?.ProjectionType,
      })),
      attributeTypes: Object.fromEntries((Table?.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType])),
    }).toEqual({
      status: 'ACTIVE',
      billing: 'PAY_PER_REQUEST',
      partitionKey: TABLE_DEFINITION.partitionKey,
      sortKey: TABLE_DEFINITION.sortKey,
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({ ...g, projection: 'ALL' })),
      attributeTypes: { pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' },
    });
  });

  it('answers queries on the byEntity index', async () => {
    const dynamo = await start({ tableName: 'acme' });
    await dynamo.client.send(
      new PutItemCommand({
        TableName: 'acme',
        Item: { pk: { S: 'MET#meta#act_1' }, sk: { S: 'D#2026-01-05#42' }, gsi1pk: { S: 'E#meta#42' }, gsi1sk: { S: 'D#2026-01-05' } },
      }),
    );
    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: 'acme',
        IndexName: 'byEntity',
        KeyConditionExpression: 'gsi1pk = :e',
        ExpressionAttributeValues: { ':e': { S: 'E#meta#42' } },
      }),
    );
    expect(Items).toEqual([
      { pk: { S: 'MET#meta#act_1' }, sk: { S: 'D#2026-01-05#42' }, gsi1pk: { S: 'E#meta#42' }, gsi1sk: { S: 'D#2026-01-05' } },
    ]);
  });

  it('keeps the data across a restart on the same data dir', async () => {
    const first = await start({ dataDir });
    await first.client.send(
      new PutItemCommand({ TableName: first.tableName, Item: { pk: { S: 'REPORT#2026-W02' }, sk: { S: 'SENT' }, n: { N: '7' } } }),
    );
    await stop(first);

    const second = await start({ dataDir });
    expect(second.endpoint).not.toBe('');
    const { Item } = await second.client.send(
      new GetItemCommand({ TableName: second.tableName, Key: { pk: { S: 'REPORT#2026-W02' }, sk: { S: 'SENT' } } }),
    );
    expect(Item).toEqual({ pk: { S: 'REPORT#2026-W02' }, sk: { S: 'SENT' }, n: { N: '7' } });
  });

  it('starts empty in memory each time', async () => {
    const first = await start({});
    await first.client.send(new PutItemCommand({ TableName: first.tableName, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    await stop(first);
    const second = await start({});
    const { Item } = await second.client.send(new GetItemCommand({ TableName: second.tableName, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    expect(Item).toBeUndefined();
  });

  it('refuses a second opener of the same data dir with a clear error', async () => {
    await start({ dataDir });
    await expect(startLocalDynamo({ dataDir })).rejects.toMatchObject({
      name: 'LocalDynamoError',
      message: `the local database ${join(dataDir, 'dynamodb')} is already open in this process`,
    });
  });

  it('takes over a lock left by a process that is gone', async () => {
    // pid 2^22 + 1 is above Linux's pid_max default, so no live process has it.
    await start({ dataDir }).then(stop);
    await writeFile(join(dataDir, 'dynamodb.lock'), String(2 ** 22 + 1));
    const dynamo = await start({ dataDir });
    expect(dynamo.tableName).toBe(DEFAULT_TABLE_NAME);
  });
});

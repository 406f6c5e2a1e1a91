/**
 * The single DynamoDB table of a client: keys and indexes, the one source of truth for the
 * CDK construct (infra/store.ts) and for the local runtime (lib/local/dynamo.ts).
 *
 * Items (pk / sk), built by keys.ts:
 *   account      ACCOUNTS                         <platform>#<account>
 *   watermark    WATERMARK                        <platform>#<account>
 *   watched      WATCHED                          <platform>#<account>      (since when freshness is checked)
 *   ad set       ENT#<platform>#<account>         ADSET#<adset>
 *   metric row   MET#<platform>#<account>         D#<date>#<adset>          gsi1: E#<platform>#<adset> / D#<date>
 *   hourly row   HOUR#<platform>#<account>        D#<date>#<adset>#H<hh>    (expires: expiresAt)
 *   test-arm ad  AD#<platform>#<ad>               AD
 *   ad row       AD#<platform>#<ad>               D#<date>
 *   plan         PLAN#<planId>                    PLAN                      gsi1: PLANS / <createdAt>
 *   change       CHG#<changeId>                   CHG                       gsi1: LOG#<platform>#<adset> / <appliedAt>#<changeId>
 *   anomaly      ANOM#<date>                      <platform>#<adset>#<type>
 *   test eval    TEST#<testId>                    EVAL#<date>
 *   report       REPORT#<isoWeek>                 SENT | MODEL
 *   lease slot   LEASE#<resource>                 SLOT#<n>                  (ingest concurrency caps)
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

export const GSI_BY_ENTITY = {
  indexName: 'byEntity',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
} as const;

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalSecondaryIndexes: readonly { indexName: string; partitionKey: string; sortKey: string }[];
  /** Attribute DynamoDB expires items by (epoch seconds). */
  readonly timeToLiveAttribute: string;
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: TABLE_KEYS.partitionKey,
  sortKey: TABLE_KEYS.sortKey,
  globalSecondaryIndexes: [GSI_BY_ENTITY],
  timeToLiveAttribute: 'expiresAt',
};

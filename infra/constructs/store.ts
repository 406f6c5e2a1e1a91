/** The client's DynamoDB table, built from the one table definition the local runtime also uses. */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_DEFINITION, type TableDefinition } from '../../lib/store/table-definition.ts';
import type { NagAcknowledgements } from '../nag.ts';
import type { AdPilotFunction } from './functions.ts';

export interface StoreProps {
  /** The client key that encrypts the table. */
  readonly key: kms.IKey;
  /**
   * Keys, indexes and TTL attribute of the table.
   * @default TABLE_DEFINITION (lib/store/table-definition.ts)
   */
  readonly definition?: TableDefinition;
  readonly nag: NagAcknowledgements;
}

/** On-demand single table with point-in-time recovery, customer-managed encryption and deletion protection. */
export class Store extends Construct {
  public readonly table: dynamodb.Table;
  private readonly nag: NagAcknowledgements;

  constructor(scope: Construct, id: string, props: StoreProps) {
    super(scope, id);
    this.nag = props.nag;
    const definition = props.definition ?? TABLE_DEFINITION;
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: key(definition.partitionKey),
      sortKey: key(definition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      deletionProtection: true,
      // The table holds the only history of budget changes: never delete it with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** Lets the function read items of the table and its indexes. */
  grantReadData(fn: AdPilotFunction): void {
    this.table.grantReadData(fn.function);
    this.acknowledgeIndexes(fn);
  }

  /** Lets the function read and write items of the table and read its indexes. */
  grantReadWriteData(fn: AdPilotFunction): void {
    this.table.grantReadWriteData(fn.function);
    this.acknowledgeIndexes(fn);
    // Writing to a table encrypted with a customer-managed key: the grant adds CDK's standard key actions.
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      this.nag.acknowledge(
        fn.role,
        `AwsSolutions-IAM5[Action::${action}]`,
        `${action} comes from the DynamoDB write grant on a table encrypted with the client key and is limited to that one key ARN.`,
      );
    }
  }

  private acknowledgeIndexes(fn: AdPilotFunction): void {
    const tableLogicalId = Stack.of(this).getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable);
    this.nag.acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      'Queries by entity and date use the byEntity global secondary index; <table>/index/* names the indexes of this one table only.',
    );
  }
}

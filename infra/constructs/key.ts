/** The client's customer-managed KMS key: encrypts the store, the secrets, the queues, the topic and the logs. */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ClientKeyProps {
  /** The client name (`config.client`). */
  readonly client: string;
}

/** A rotating KMS key per client whose policy lets exactly the services that encrypt with it use it. */
export class ClientKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ClientKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/adpilot/${props.client}`,
      description: `adpilot ${props.client}: store, secrets, queues, alert topic and logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudWatch Logs encrypts the client's log groups (Lambda and state machine logs), and only those.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisClient',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${logGroupPrefix(props.client)}*`,
          },
        },
      }),
    );
    // EventBridge delivers to the encrypted alert topic and dead-letter queues; CloudWatch alarms publish
    // to the alert topic. Both need the data key of the encrypted destination. No source condition: these
    // deliveries do not reliably carry aws:SourceAccount to KMS, and the topic and queue policies already
    // admit only this account's rules and alarms.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeAndAlarmsToEncryptedDestinations',
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
  }

  /** Lets `grantee` write messages to a queue or topic encrypted with this key (SSE-KMS producers need both actions). */
  grantEncryptedSend(grantee: iam.IGrantable): void {
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}

/**
 * Every log group of a client is named under this prefix (after `/aws/lambda/` or `/aws/vendedlogs/states/`),
 * so that the key policy can admit exactly them.
 */
export function logGroupPrefix(client: string): string {
  return `/aws/*/adpilot-${client}-`;
}

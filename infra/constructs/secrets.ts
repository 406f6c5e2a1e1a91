/** One Secrets Manager secret per configured platform, holding that platform's API credentials. */
import { SecretValue, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Platform } from '../../lib/model/ads.ts';
import { CREDENTIAL_ENV, SELF_REFRESHING } from '../../lib/platforms/registry.ts';
import type { NagAcknowledgements } from '../nag.ts';

export interface PlatformSecretsProps {
  readonly client: string;
  /** The configured platforms; one secret each. */
  readonly platforms: readonly Platform[];
  /** The client key that encrypts the secrets. */
  readonly key: kms.IKey;
  readonly nag: NagAcknowledgements;
}

/**
 * The credential secrets, named `adpilot/<client>/<platform>`. CloudFormation creates each as the JSON
 * object the connector reads (`{"accessToken": ""}`, four keys for X) with empty values; the operator
 * fills them in (`aws secretsmanager put-secret-value`) before the first run. The placeholder never
 * changes while CREDENTIAL_ENV does not, so deployments never overwrite the filled-in value.
 */
export class PlatformSecrets extends Construct {
  public readonly secrets: ReadonlyMap<Platform, secretsmanager.Secret>;

  constructor(scope: Construct, id: string, props: PlatformSecretsProps) {
    super(scope, id);
    const secrets = new Map<Platform, secretsmanager.Secret>();
    for (const platform of props.platforms) {
      const secret = new secretsmanager.Secret(this, platform, {
        secretName: `adpilot/${props.client}/${platform}`,
        description: `adpilot ${props.client}: ${platform} API credentials, JSON with the keys ${Object.keys(CREDENTIAL_ENV[platform]).join(', ')}`,
        encryptionKey: props.key,
        // Empty placeholders, not secrets: the values are filled in after deployment.
        secretObjectValue: Object.fromEntries(Object.keys(CREDENTIAL_ENV[platform]).map((key) => [key, SecretValue.unsafePlainText('')])),
      });
      props.nag.acknowledge(
        secret,
        'AwsSolutions-SMG4',
        `The ${platform} credentials are issued by the ad platform (OAuth consent or a system-user token in its console); ` +
          'Secrets Manager cannot mint new ones, so they are renewed by the operator when the platform expires them.',
      );
      secrets.set(platform, secret);
    }
    this.secrets = secrets;
  }

  /**
   * Lets `grantee` read every platform secret (and decrypt it through Secrets Manager only), and write the
   * secrets of platforms whose connector refreshes its own tokens (Pinterest), so a refreshed token is kept.
   */
  grantUse(grantee: iam.IGrantable): void {
    for (const [platform, secret] of this.secrets) {
      secret.grantRead(grantee);
      if (SELF_REFRESHING.includes(platform)) secret.grantWrite(grantee);
    }
  }

  /** The value of ADPILOT_PLATFORM_SECRETS: a JSON map platform → secret ARN. */
  environmentValue(): string {
    const arns = Object.fromEntries([...this.secrets].map(([platform, secret]) => [platform, secret.secretArn]));
    return Stack.of(this).toJsonString(arns);
  }
}

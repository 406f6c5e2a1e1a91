/**
 * The AppContext of the Lambda functions: AWS adapters built once per container from the
 * environment contract of lib/runtime/env.ts.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { readLambdaEnv } from '../config/lambda-env.ts';
import { parseClientConfig } from '../config/load.ts';
import { EventBridgePublisher } from '../events/eventbridge.ts';
import type { Platform } from '../model/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import { createConnector } from '../platforms/registry.ts';
import { SesMailer } from '../report/ses-mailer.ts';
import { DynamoStore } from '../store/dynamo-store.ts';
import { systemClock } from './clock.ts';
import type { AppContext } from './context.ts';
import { once } from './handler.ts';

const SecretMap = z.record(z.string(), z.string());
const Credentials = z.record(z.string(), z.string());

/** The context of every Lambda handler, built at the first invocation and reused. */
export const awsContext = once(async (): Promise<AppContext> => {
  const env = readLambdaEnv();
  const config = parseClientConfig(JSON.parse(env.ADPILOT_CLIENT_CONFIG), 'ADPILOT_CLIENT_CONFIG');
  const secretArns = SecretMap.parse(JSON.parse(env.ADPILOT_PLATFORM_SECRETS));
  const secrets = new SecretsManagerClient({});
  const connectors = new Map<Platform, Promise<PlatformConnector>>();
  const logger = new Logger({ serviceName: 'adpilot', persistentKeys: { client: config.client } });
  return {
    config,
    clock: systemClock,
    store: new DynamoStore(new DynamoDBClient({}), env.ADPILOT_TABLE_NAME),
    events: new EventBridgePublisher(new EventBridgeClient({}), env.ADPILOT_EVENT_BUS_NAME),
    mailer: new SesMailer(new SESv2Client({}), env.ADPILOT_SES_CONFIGURATION_SET),
    sender: env.ADPILOT_SENDER,
    log: {
      debug: (message, data) => logger.debug(message, data ?? {}),
      info: (message, data) => logger.info(message, data ?? {}),
      warn: (message, data) => logger.warn(message, data ?? {}),
      error: (message, data) => logger.error(message, data ?? {}),
    },
    connector(platform) {
      let connector = connectors.get(platform);
      if (!connector) {
        connector = (async () => {
          const arn = secretArns[platform];
          if (!arn) throw new Error(`no credentials secret configured for ${platform}`);
          const secret = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
          return createConnector(config, platform, Credentials.parse(JSON.parse(secret.SecretString ?? '{}')), {
            // A refreshed token replaces the secret's value: the next run (any function) starts from it.
            saveCredentials: async (_platform, credentials) => {
              await secrets.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(credentials) }));
            },
          });
        })();
        connectors.set(platform, connector);
      }
      return connector;
    },
  };
});

/**
 * The environment contract between the CDK stack (infra/) and the Lambda functions.
 * Parsed once at cold start by lib/runtime/aws-context.ts; infra sets exactly these names.
 */
import { z } from 'zod';

export const LambdaEnv = z.object({
  /** DynamoDB table of the client. */
  ADPILOT_TABLE_NAME: z.string().min(1),
  /** EventBridge bus of the client. */
  ADPILOT_EVENT_BUS_NAME: z.string().min(1),
  /** The validated client config, as JSON (the CDK app reads the same file). */
  ADPILOT_CLIENT_CONFIG: z.string().min(2),
  /** JSON map platform → Secrets Manager secret ARN holding that platform's credentials. */
  ADPILOT_PLATFORM_SECRETS: z.string().default('{}'),
  /** Verified SES sender and optional configuration set. */
  ADPILOT_SENDER: z.string().min(3),
  ADPILOT_SES_CONFIGURATION_SET: z.string().optional(),
});
export type LambdaEnv = z.infer<typeof LambdaEnv>;
export const LAMBDA_ENV_NAMES = Object.keys(LambdaEnv.shape) as (keyof LambdaEnv)[];

/**
 * The one way adpilot builds a Lambda function: a NodejsFunction bundled locally by esbuild as ESM,
 * on the newest Node.js runtime, ARM, with its own role, an encrypted log group and X-Ray tracing,
 * and the environment of the LambdaEnv contract.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LambdaEnv } from '../../lib/runtime/env.ts';
import { type FunctionId, LAMBDA_FUNCTIONS } from '../../lib/workflows/tasks.ts';
import { InfraWiringError } from '../errors.ts';
import type { NagAcknowledgements } from '../nag.ts';

/** The newest Node.js runtime aws-cdk-lib offers (test/infra checks it against lambda.Runtime.ALL). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Every LambdaEnv variable, the optional ones included: infra sets exactly these names. */
export type FunctionEnvironment = { readonly [K in keyof LambdaEnv]-?: string };

/**
 * Lets Node map stack traces through the bundled source map. A runtime flag, not part of the app's
 * configuration contract (LambdaEnv); without it the source map would be dead weight.
 */
const SOURCE_MAP_FLAG = { NODE_OPTIONS: '--enable-source-maps' } as const;

/**
 * ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins. The alias
 * keeps the import from clashing with names in the bundle.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __adpilotCreateRequire } from 'node:module'; const require = __adpilotCreateRequire(import.meta.url);";

export interface FunctionFactoryProps {
  readonly client: string;
  /** The folder holding package-lock.json, functions/ and lib/. */
  readonly projectRoot: string;
  /** The client key that encrypts the log groups (and the dead-letter queues functions write to). */
  readonly key: kms.IKey;
  readonly environment: FunctionEnvironment;
  readonly nag: NagAcknowledgements;
  /**
   * How long function logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

export interface FunctionOptions {
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Where asynchronous invocations land after their retries are exhausted (schedules and rules invoke asynchronously).
   * @default - synchronous use only (state machine tasks): no dead-letter queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Modules a bundle cannot hold (native binaries, files read from node_modules at run time), shipped
   * next to it.
   * @default - everything is bundled
   */
  readonly shipped?: ShippedModules;
}

/** Modules left out of the bundle and copied into the function's node_modules/ instead. */
export interface ShippedModules {
  /** The architecture the shipped native binaries are built for (overrides ARM_64). */
  readonly architecture: lambda.Architecture;
  /** Packages imported at run time instead of bundled. */
  readonly external: readonly string[];
  /** Packages or single files under node_modules/, copied as they are installed. */
  readonly paths: readonly string[];
}

/** One function with the pieces the factory created for it. */
export class AdPilotFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly functionId: FunctionId;

  constructor(scope: Construct, id: string, factory: FunctionFactoryProps, functionId: FunctionId, options: FunctionOptions = {}) {
    super(scope, id);
    this.functionId = functionId;
    const name = `adpilot-${factory.client}-${functionId}`;
    const spec = LAMBDA_FUNCTIONS[functionId];

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${name}`,
      retention: factory.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: factory.key,
      // Diagnostics only (plans, changes and reports live in the retained table); a retained named
      // log group would block re-creating the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of its own with inline grants only: no AWS managed policy (AWSLambdaBasicExecutionRole would allow
    // writing to every log group of the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `adpilot ${factory.client}: ${functionId}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: name,
      description: spec.description,
      entry: join(factory.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: factory.projectRoot,
      depsLockFilePath: join(factory.projectRoot, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: options.shipped?.architecture ?? lambda.Architecture.ARM_64,
      memorySize: options.memorySize ?? 512,
      timeout: options.timeout ?? Duration.minutes(1),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...factory.environment, ...SOURCE_MAP_FLAG },
      ...(options.deadLetterQueue ? { deadLetterQueue: options.deadLetterQueue } : {}),
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings only; without the sources the map is a fraction of the size Node parses at cold start.
        sourcesContent: false,
        // The tested SDK version ships in the bundle instead of whatever version the runtime carries.
        bundleAwsSDK: true,
        externalModules: [...(options.shipped?.external ?? [])],
        forceDockerBundling: false,
        ...(options.shipped ? { commandHooks: copyIntoBundle(factory.projectRoot, options.shipped.paths) } : {}),
      },
    });
    if (options.deadLetterQueue) {
      // The dead-letter queues are KMS-encrypted: writing to them needs the data key too.
      factory.key.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }

    factory.nag.acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level ' +
        'permissions; test/infra checks that no other action of this role is granted on "*".',
    );
  }
}

/** Builds the client's functions with shared settings. */
export class FunctionFactory {
  constructor(private readonly props: FunctionFactoryProps) {}

  /** Creates the function `functionId` under `scope`. */
  create(scope: Construct, functionId: FunctionId, options: FunctionOptions = {}): AdPilotFunction {
    return new AdPilotFunction(scope, pascalCase(functionId), this.props, functionId, options);
  }
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Bundling hooks copying `paths` (relative to node_modules/) into the bundle's node_modules/, offline and as installed. */
function copyIntoBundle(projectRoot: string, paths: readonly string[]) {
  for (const path of paths) {
    if (!existsSync(join(projectRoot, 'node_modules', path))) {
      throw new InfraWiringError(
        `node_modules/${path} is not installed; it is shipped with a function (see infra/constructs/reporting.ts)`,
      );
    }
  }
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] =>
      paths.flatMap((path) => {
        const target = `${outputDir}/node_modules/${path}`;
        return [`mkdir -p "${target.slice(0, target.lastIndexOf('/'))}"`, `cp -R "${inputDir}/node_modules/${path}" "${target}"`];
      }),
  };
}

/**
 * The local deployment: the same handlers as in AWS, wired to dynalite, the local bus, the
 * outbox and the ASL interpreter. `adpilot run-day`, `adpilot demo` and the integration tests
 * start one of these.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context as LambdaContext } from 'aws-lambda';
import type { ClientConfig } from '../config/schema.ts';
import { alertText } from '../events/alert-text.ts';
import { rulePatterns } from '../events/rules.ts';
import type { Platform } from '../model/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { Clock } from '../runtime/clock.ts';
import type { AppContext } from '../runtime/context.ts';
import type { LambdaHandler } from '../runtime/handler.ts';
import { type Log, silentLog } from '../runtime/log.ts';
import { DynamoStore } from '../store/dynamo-store.ts';
import { type FunctionId, LAMBDA_FUNCTIONS, type StateMachineId } from '../workflows/tasks.ts';
import { createLocalStateMachines } from './asl-runner.ts';
import { LocalEventBus } from './bus.ts';
import { startLocalDynamo } from './dynamo.ts';
import { OutboxMailer } from './outbox.ts';
import { projectRoot } from './paths.ts';

export interface LocalRuntimeOptions {
  readonly config: ClientConfig;
  readonly clock: Clock;
  /** Where state persists between runs; in memory (and a temp outbox) when absent. */
  readonly dataDir?: string;
  /** Builds the connector of a platform (the CLI resolves credentials and base URLs). */
  readonly connector: (platform: Platform) => Promise<PlatformConnector>;
  readonly log?: Log;
  /** Retry interval of the local state machines, in ms (0 in tests). */
  readonly retryIntervalMs?: number;
}

export interface LocalRuntime {
  readonly ctx: AppContext;
  readonly bus: LocalEventBus;
  readonly outboxDir: string;
  readonly eventsFile: string | undefined;
  /** The local stand-in of the alerts topic: one JSON line per event the alert rules route (SNS e-mail / webhook in AWS). */
  readonly alertsFile: string;
  /** Invokes a Lambda handler exactly as Lambda would (same module, same middy chain). */
  invoke<T = unknown>(id: FunctionId, event: unknown): Promise<T>;
  /** Runs a state machine through the ASL interpreter. */
  runStateMachine(
    id: StateMachineId,
    input: unknown,
  ): Promise<{ status: 'SUCCEEDED' | 'FAILED'; output?: unknown; error?: string; cause?: string }>;
  close(): Promise<void>;
}

/** Starts dynalite, the bus, the outbox and the state machines, and subscribes the bus rules. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { config, clock, dataDir } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const dynamo = await startLocalDynamo(dataDir ? { dataDir } : {});
  const eventsFile = dataDir ? join(dataDir, 'events.jsonl') : undefined;
  const bus = new LocalEventBus({ busName: `adpilot-${config.client}`, clock, ...(eventsFile ? { file: eventsFile } : {}) });
  const outboxDir = join(dataDir ?? join(projectRoot, '.adpilot', 'tmp'), 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  const ctx: AppContext = {
    config,
    clock,
    store: new DynamoStore(dynamo.client, dynamo.tableName),
    events: bus,
    mailer: new OutboxMailer({ dir: outboxDir, clock }),
    sender: config.report.sender ?? `adpilot@${config.client}.invalid`,
    connector: options.connector,
    log: options.log ?? silentLog,
  };
  const provider = async () => ctx;
  const handlers = {} as Record<FunctionId, LambdaHandler<unknown>>;
  for (const [id, fn] of Object.entries(LAMBDA_FUNCTIONS) as [FunctionId, { entry: string }][]) {
    const mod = (await import(join(projectRoot, fn.entry))) as { createHandler: (p: typeof provider) => LambdaHandler<unknown> };
    handlers[id] = mod.createHandler(provider);
  }
  let requestCounter = 0;
  const invoke = async <T>(id: FunctionId, event: unknown): Promise<T> => {
    requestCounter += 1;
    return (await handlers[id](structuredClone(event), lambdaContext(id, requestCounter))) as T;
  };
  const machines = createLocalStateMachines(
    Object.fromEntries((Object.keys(handlers) as FunctionId[]).map((id) => [id, (event: unknown) => invoke(id, event)])) as Record<
      FunctionId,
      (event: unknown) => Promise<unknown>
    >,
    { retryIntervalMs: options.retryIntervalMs ?? 50 },
  );
  // The bus rules of the stack, delivered in-process.
  bus.subscribeRule('detectAfterIngest', async (event) => {
    await invoke('detect-anomalies', event);
  });
  // The alert rules, with the client's minimum severity, deliver to a file where AWS would notify people;
  // an event re-published by a re-run (same detail id) is written once.
  const alertsFile = join(outboxDir, 'alerts.jsonl');
  const alerted = new Set(
    existsSync(alertsFile)
      ? readFileSync(alertsFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => String((JSON.parse(line) as { id?: unknown }).id))
      : [],
  );
  const routes = rulePatterns(config.alerts);
  for (const rule of ['alertOnAnomaly', 'alertOnFailure', 'alertOnIngestionFailure'] as const) {
    bus.subscribe(
      routes[rule],
      (event) => {
        const { id } = event;
        if (alerted.has(id)) return;
        alerted.add(id);
        appendFileSync(
          alertsFile,
          `${JSON.stringify({ id, rule, 'detail-type': event['detail-type'], time: event.time, text: alertText(rule, event.detail), detail: event.detail })}\n`,
        );
      },
      rule,
    );
  }
  return {
    ctx,
    bus,
    outboxDir,
    eventsFile,
    alertsFile,
    invoke,
    runStateMachine: (id, input) => machines.run(id, input),
    close: () => dynamo.close(),
  };
}

function lambdaContext(id: FunctionId, n: number): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `adpilot-local-${id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:adpilot-local-${id}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${id}-${n}`,
    logGroupName: `/aws/lambda/adpilot-local-${id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The local event bus: an EventPublisher that appends every event, in the envelope EventBridge
 * delivers to targets, to an events.jsonl file and hands it to the in-process subscribers whose
 * pattern matches (the rules of lib/events/rules.ts, matched as EventBridge matches them).
 *
 * Like EventBridge, publishing succeeds once the events are accepted, whatever the targets do:
 * a failing subscriber does not stop delivery to the others and does not fail the publisher; its
 * failure is kept (as a dead-letter queue would keep it) until takeFailures() collects it.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { EventPublisher } from '../events/publisher.ts';
import { type EventPattern, RULES, type RuleId } from '../events/rules.ts';
import { type AdpilotEvent, DETAIL_TYPES, type DetailType, EVENT_SCHEMAS, EVENT_SOURCE, type EventDetail } from '../events/schemas.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { matchesPattern } from './event-pattern.ts';

/** An event as EventBridge delivers it to a rule target (and as events.jsonl stores it). */
export interface EventEnvelope<T extends DetailType = DetailType> {
  readonly version: '0';
  /** The detail's deterministic id, so a re-published fact has the same id. */
  readonly id: string;
  readonly 'detail-type': T;
  readonly source: typeof EVENT_SOURCE;
  readonly account: string;
  /** When the fact happened (the PutEvents Time), at EventBridge's one-second precision. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: EventDetail<T>;
}

export type EventHandler = (event: EventEnvelope) => Promise<void> | void;

/** A delivery that failed: which subscriber, which event, why, and when (from the bus clock). */
export interface DeliveryFailure {
  readonly subscriber: string;
  readonly eventId: string;
  readonly detailType: DetailType;
  readonly error: string;
  readonly at: string;
}

export interface LocalEventBusOptions {
  readonly busName: string;
  /** The events.jsonl file every published event is appended to; events are kept only in memory when absent. */
  readonly file?: string;
  /** Stamps delivery failures. @default systemClock */
  readonly clock?: Clock;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default 'local' */
  readonly region?: string;
}

/** An event was rejected before anything was written: its detail does not fit its schema. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** A line of an events.jsonl file is not a valid adpilot event envelope. */
export class EventLogError extends Error {
  override readonly name = 'EventLogError';
}

interface Subscription {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly handler: EventHandler;
}

export class LocalEventBus implements EventPublisher {
  readonly busName: string;
  readonly file: string | undefined;
  private readonly clock: Clock;
  private readonly account: string;
  private readonly region: string;
  private readonly subscriptions: Subscription[] = [];
  private readonly failures: DeliveryFailure[] = [];
  private readonly log: EventEnvelope[] = [];
  // Appends are chained so that concurrent publishers (a Map state's iterations) never interleave lines.
  private writes: Promise<void> = Promise.resolve();

  constructor(options: LocalEventBusOptions) {
    this.busName = options.busName;
    this.file = options.file;
    this.clock = options.clock ?? systemClock;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'local';
  }

  /** How many events this bus has accepted. */
  get published(): number {
    return this.log.length;
  }

  /** The events this bus has accepted, oldest first. */
  get events(): readonly EventEnvelope[] {
    return this.log;
  }

  /** Delivers every later event matching `pattern` to `handler`; returns the unsubscribe function. */
  subscribe(pattern: EventPattern, handler: EventHandler, name = `subscriber-${this.subscriptions.length + 1}`): () => void {
    const subscription = { name, pattern, handler };
    this.subscriptions.push(subscription);
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index >= 0) this.subscriptions.splice(index, 1);
    };
  }

  /** Subscribes `handler` with the pattern of a deployed bus rule (lib/events/rules.ts). */
  subscribeRule(ruleId: RuleId, handler: EventHandler): () => void {
    return this.subscribe(RULES[ruleId].pattern, handler, ruleId);
  }

  /** Validates all events (nothing is written if one is invalid), appends them, then delivers them. */
  async publish(events: readonly AdpilotEvent[]): Promise<void> {
    await this.publishAndDeliver(events);
  }

  /** publish(), returning the delivery failures of these events (they are also kept for takeFailures()). */
  async publishAndDeliver(events: readonly AdpilotEvent[]): Promise<DeliveryFailure[]> {
    const envelopes = events.map((event) => this.envelope(event));
    const file = this.file;
    if (file !== undefined && envelopes.length > 0) {
      const lines = envelopes.map((e) => `${JSON.stringify(e)}\n`).join('');
      this.writes = this.writes
        .catch(() => {})
        .then(async () => {
          await mkdir(dirname(file), { recursive: true });
          await appendFile(file, lines);
        });
      await this.writes;
    }
    this.log.push(...envelopes);
    const failures: DeliveryFailure[] = [];
    for (const envelope of envelopes) {
      // A snapshot, so a subscriber that subscribes or unsubscribes during delivery affects only later events.
      for (const subscription of [...this.subscriptions]) {
        if (!matchesPattern(subscription.pattern, envelope)) continue;
        try {
          await subscription.handler(envelope);
        } catch (err) {
          failures.push({
            subscriber: subscription.name,
            eventId: envelope.id,
            detailType: envelope['detail-type'],
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
            at: this.clock.now().toISOString(),
          });
        }
      }
    }
    this.failures.push(...failures);
    return failures;
  }

  /** Returns and forgets the delivery failures collected so far. */
  takeFailures(): DeliveryFailure[] {
    return this.failures.splice(0);
  }

  private envelope(event: AdpilotEvent): EventEnvelope {
    const where = `"${event.detailType}" event`;
    if (event.source !== EVENT_SOURCE) throw new InvalidEventError(`${where}: source must be ${EVENT_SOURCE}, got ${event.source}`);
    const schema = (EVENT_SCHEMAS as Record<string, z.ZodType<EventDetail<DetailType>>>)[event.detailType];
    if (schema === undefined) throw new InvalidEventError(`unknown detail-type "${event.detailType}"`);
    const detail = schema.safeParse(event.detail);
    if (!detail.success) throw new InvalidEventError(`${where}: ${z.prettifyError(detail.error)}`);
    const time = new Date(event.time);
    if (Number.isNaN(time.getTime())) throw new InvalidEventError(`${where}: time ${JSON.stringify(event.time)} is not a date`);
    return {
      version: '0',
      id: detail.data.id,
      'detail-type': event.detailType,
      source: EVENT_SOURCE,
      account: this.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [],
      detail: detail.data,
    };
  }
}

const Envelope = z
  .object({
    version: z.literal('0'),
    id: z.string().min(1),
    'detail-type': z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]),
    source: z.literal(EVENT_SOURCE),
    account: z.string(),
    time: z.iso.datetime(),
    region: z.string(),
    resources: z.array(z.string()),
    detail: z.unknown(),
  })
  .transform((envelope, ctx) => {
    const detail = EVENT_SCHEMAS[envelope['detail-type']].safeParse(envelope.detail);
    if (!detail.success) {
      for (const issue of detail.error.issues) ctx.addIssue({ ...issue, path: ['detail', ...issue.path] } as z.core.$ZodRawIssue);
      return z.NEVER;
    }
    return { ...envelope, detail: detail.data } as EventEnvelope;
  });

/** Reads an events.jsonl file written by a LocalEventBus (an absent file holds no events); every line is validated. */
export async function readEvents(file: string): Promise<EventEnvelope[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const events: EventEnvelope[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new EventLogError(`${file}:${index + 1}: not JSON`, { cause: err });
    }
    const envelope = Envelope.safeParse(parsed);
    if (!envelope.success) throw new EventLogError(`${file}:${index + 1}: ${z.prettifyError(envelope.error)}`, { cause: envelope.error });
    events.push(envelope.data);
  }
  return events;
}

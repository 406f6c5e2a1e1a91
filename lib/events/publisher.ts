/** The port for publishing events; adapters: EventBridge (lib/events/eventbridge.ts) and the local bus (lib/local/bus.ts). */
import { type AdpilotEvent, type DetailType, EVENT_SCHEMAS, EVENT_SOURCE, type EventDetail } from './schemas.ts';

export interface EventPublisher {
  publish(events: readonly AdpilotEvent[]): Promise<void>;
}

/** Builds a validated event; throws a ZodError naming the field when the detail is malformed. */
export function makeEvent<T extends DetailType>(detailType: T, detail: EventDetail<T>, time: Date): AdpilotEvent<T> {
  const parsed = EVENT_SCHEMAS[detailType].parse(detail) as EventDetail<T>;
  return { source: EVENT_SOURCE, detailType, detail: parsed, time: time.toISOString() };
}

/** A publisher that keeps events in memory (tests, dry runs). */
export class MemoryPublisher implements EventPublisher {
  readonly events: AdpilotEvent[] = [];
  async publish(events: readonly AdpilotEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** EventPublisher on Amazon EventBridge: PutEvents in batches of 10, failing loudly on partial failures. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher } from './publisher.ts';
import type { AdpilotEvent } from './schemas.ts';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly AdpilotEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const response = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.time),
          })),
        }),
      );
      if ((response.FailedEntryCount ?? 0) > 0) {
        const failures = (response.Entries ?? []).filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        throw new Error(`EventBridge rejected ${response.FailedEntryCount} of ${batch.length} events: ${failures.join('; ')}`);
      }
    }
  }
}

export { EventBridgeClient };

/** The client's EventBridge bus: every adpilot event of this client goes through it. */
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export interface ClientEventBusProps {
  readonly client: string;
}

/** A custom bus named `adpilot-<client>`, so that consumers can subscribe without looking up a generated name. */
export class ClientEventBus extends Construct {
  public readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: ClientEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `adpilot-${props.client}`,
      description: `adpilot ${props.client}: ingestion, anomaly, A/B test, budget and report events`,
    });
  }
}

/**
 * Everything a use case needs from the outside world, as ports. The Lambda handlers get an
 * AWS-backed context (lib/runtime/aws-context.ts); the CLI and tests get a local one
 * (lib/local/context.ts). Only the adapters differ.
 */
import type { ClientConfig } from '../config/schema.ts';
import type { EventPublisher } from '../events/publisher.ts';
import type { Platform } from '../model/ads.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { Mailer } from '../report/mailer.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { Log } from './log.ts';

export interface AppContext {
  readonly config: ClientConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly events: EventPublisher;
  readonly mailer: Mailer;
  /** The From address of emails (a verified SES identity in AWS). */
  readonly sender: string;
  /** The connector of a configured platform (credentials already resolved). */
  connector(platform: Platform): Promise<PlatformConnector>;
  readonly log: Log;
}

/** How a handler obtains its context: built once (cold start) and reused. */
export type ContextProvider = () => Promise<AppContext>;

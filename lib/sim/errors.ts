/** Errors of the market simulator and the fake platform servers. */

/** A call the simulation cannot honour: unknown ids, a change that would rewrite history, bad config. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** A Graph API error the fake Meta server answers with (rendered as Meta's error body). */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details: { subcode?: number; userTitle?: string; userMessage?: string; transient?: boolean; retryMinutes?: number } = {},
  ) {
    super(message);
  }
}

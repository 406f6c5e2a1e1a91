/** Errors of the use cases. */
import type { BackfillChunk, BackfillWindow } from './ingest.ts';

/** A request that cannot be carried out as asked. */
export class UseCaseError extends Error {
  override readonly name = 'UseCaseError';
}

/** A back-fill chunk failed; the chunks before it are stored, and re-running the same back-fill resumes. */
export class BackfillChunkError extends Error {
  override readonly name = 'BackfillChunkError';
  constructor(
    message: string,
    readonly chunk: BackfillWindow & { readonly index: number; readonly count: number },
    readonly completed: readonly BackfillChunk[],
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

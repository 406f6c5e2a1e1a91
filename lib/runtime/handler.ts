/**
 * How every Lambda handler is built: a middy chain that validates the event with zod, resolves
 * the context once (cold start), runs one use case and marks retryable failures so the state
 * machines' Retry rules see them as `TransientError`.
 */
import middy from '@middy/core';
import type { Context as LambdaContext } from 'aws-lambda';
import type { z } from 'zod';
import { describeIssues } from '../config/load.ts';
import { PlatformError } from '../platforms/errors.ts';
import type { AppContext, ContextProvider } from './context.ts';
import { InputValidationError, TransientError } from './errors.ts';

export type LambdaHandler<TResult> = (event: unknown, context: LambdaContext) => Promise<TResult>;

/** Builds `createHandler(provider)` for a use case taking the parsed event. */
export function defineHandler<TSchema extends z.ZodType, TResult>(
  schema: TSchema,
  useCase: (ctx: AppContext, input: z.infer<TSchema>) => Promise<TResult>,
): (provider: ContextProvider) => LambdaHandler<TResult> {
  return (provider) =>
    middy<unknown, TResult>()
      .use({
        before: (request) => {
          const parsed = schema.safeParse(request.event);
          if (!parsed.success) {
            const fields = describeIssues(parsed.error)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ');
            throw new InputValidationError(`invalid event: ${fields}`);
          }
          request.event = parsed.data;
        },
        onError: (request) => {
          const error = request.error;
          if (error instanceof PlatformError && error.retryable) {
            request.error = new TransientError(error.message, { cause: error });
          }
        },
      })
      .handler(async (event) => useCase(await provider(), event as z.infer<TSchema>)) as unknown as LambdaHandler<TResult>;
}

/** Memoizes a context factory so clients and config are built once per container. */
export function once(factory: () => Promise<AppContext>): ContextProvider {
  let pending: Promise<AppContext> | undefined;
  return () => {
    pending ??= factory().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Lambda `detect-anomalies`: runs on each `Metrics Ingested` event of the client bus, and hourly to check data freshness. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { DetectInput } from '../lib/runtime/inputs.ts';
import { detectAfterIngest } from '../lib/usecases/detect.ts';
import { checkFreshness } from '../lib/usecases/freshness.ts';

export const createHandler = defineHandler(
  DetectInput,
  async (ctx, input): Promise<object> => ('check' in input ? checkFreshness(ctx) : detectAfterIngest(ctx, input)),
);
export const handler = createHandler(awsContext);

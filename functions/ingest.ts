/** Lambda `ingest`: invoked by the hourly schedule of one platform account, within the platform's concurrency cap. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { IngestInput } from '../lib/runtime/inputs.ts';
import { ingestAccountCapped } from '../lib/usecases/ingest.ts';

export const createHandler = defineHandler(IngestInput, (ctx, input) => ingestAccountCapped(ctx, input));
export const handler = createHandler(awsContext);

/** Lambda `ingest`: invoked by the hourly schedule of one platform account. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { IngestInput } from '../lib/runtime/inputs.ts';
import { ingestAccount } from '../lib/usecases/ingest.ts';

export const createHandler = defineHandler(IngestInput, ingestAccount);
export const handler = createHandler(awsContext);

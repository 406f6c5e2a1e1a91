/** Lambda `send-report`: renders the stored weekly report and sends it once. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { SendReportInput } from '../lib/runtime/inputs.ts';
import { sendReport } from '../lib/usecases/report.ts';

export const createHandler = defineHandler(SendReportInput, sendReport);
export const handler = createHandler(awsContext);

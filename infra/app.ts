/**
 * The CDK app entry (cdk.json: `npx tsx infra/app.ts`): one `AdPilot-<client>` stack per config in
 * clients/. Synthesis needs no AWS account, region or lookups.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdPilotApp } from './adpilot-app.ts';
import { loadClientDefinitions } from './clients.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const { app } = createAdPilotApp({ projectRoot, clients: loadClientDefinitions(join(projectRoot, 'clients')) });
app.synth();

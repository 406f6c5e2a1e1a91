#!/usr/bin/env node
// The `adpilot` command: loads the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// The warning is about SDK releases after January 2027; the lockfile pins releases that support Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

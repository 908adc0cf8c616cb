#!/usr/bin/env node
// Runs the TypeScript CLI straight from source (no build step): tsx registers the loader in-process.
import { register } from 'tsx/esm/api';

// The lockfile pins an AWS SDK that supports Node 20; its notice about future releases is for
// maintainers (docs/architecture.md), not for every command a user runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

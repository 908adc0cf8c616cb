import { buildApp } from './build.js';

/**
 * CDK entry point (cdk.json: `npx tsx infra/app.ts`). Synthesises offline: no lookups, env-agnostic.
 * Synth fails when cdk-nag (AwsSolutions + HIPAA.Security) reports any unacknowledged finding.
 */
const { app } = buildApp();
app.synth();

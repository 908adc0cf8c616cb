import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Template } from 'aws-cdk-lib/assertions';
import type { RouteDefinition } from '../../lib/http/routes.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { buildApp, type BuildOptions } from '../../infra/build.js';
import type { BulkLoadPlan, IngestDataset } from '../../infra/ingest-plan.js';

/** Throwaway handler that lets every construct be built before the real handlers exist. */
export const FIXTURE = 'test/infra/fixtures/handler.ts';

/** The context `npm run synth` uses (cdk.json: feature flags and defaults). */
export const CDK_JSON = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

/** One scratch folder per test file for cloud assemblies; removeOutdirs() deletes it. */
let scratch: string | undefined;
let counter = 0;
export function outdir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'udi-infra-test-'));
  return join(scratch, String(counter++));
}
export function removeOutdirs(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/**
 * Build the app as cdk.json would, with bundling skipped (fast) and the nag packs registered. CDK's
 * built-in CloudFormation rule engine (`@aws-cdk/core:validateAgainstDefaultRules`, a WASM validator
 * costing seconds per synth) is off unless `cfnRules` — the suite runs it once, on the real app.
 */
export function build(options: BuildOptions = {}, context: Record<string, unknown> = {}, cfnRules = false) {
  return buildApp({
    ...options,
    app: {
      outdir: outdir(),
      context: {
        ...CDK_JSON.context,
        'aws:cdk:bundling-stacks': [],
        ...(cfnRules ? {} : { '@aws-cdk/core:validateAgainstDefaultRules': false }),
        ...context,
      },
    },
  });
}

/** Synthetic routes: one public, two scoped routes sharing a function, one more scoped function. */
export const SYNTHETIC_ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/health', entry: FIXTURE, functionName: 'health', auth: 'public', timeoutSeconds: 5, memoryMb: 256 },
  { method: 'GET', path: '/openapi.json', entry: FIXTURE, functionName: 'docs', auth: 'public', timeoutSeconds: 5, memoryMb: 128 },
  { method: 'POST', path: '/v1/checks', entry: FIXTURE, functionName: 'check', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'GET', path: '/v1/checks/{id}', entry: FIXTURE, functionName: 'check', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'PUT', path: '/v1/inventory/{id}', entry: FIXTURE, functionName: 'inventory', auth: 'inventory', timeoutSeconds: 10, memoryMb: 512 },
];

export const SYNTHETIC_DATASETS: IngestDataset[] = [
  { dataset: 'openfda:recall', cadence: 'daily', upstreamCadence: 'weekly', entry: FIXTURE, keySpace: 'openfda-recall', usesOpenFdaKey: true, timeoutSeconds: 600, memoryMb: 512 },
  { dataset: 'cisa-csaf', cadence: 'hourly', upstreamCadence: 'weekly', entry: FIXTURE, keySpace: 'csaf', usesOpenFdaKey: false, timeoutSeconds: 300, memoryMb: 512 },
  { dataset: 'openfda:510k', cadence: 'weekly', upstreamCadence: 'monthly', entry: 'functions/ingest/does-not-exist.ts', keySpace: 'openfda-510k', usesOpenFdaKey: true, timeoutSeconds: 600, memoryMb: 512 },
];

export const SYNTHETIC_BULK: BulkLoadPlan[] = [
  { dataset: 'openfda:udi', entry: FIXTURE, keySpace: 'udi', usesOpenFdaKey: true, timeoutSeconds: 900, memoryMb: 1024 },
];

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Logical id of an L2 construct's CloudFormation resource. */
export function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Every statement of the customer-managed policy attached to a role (function roles have exactly one). */
export function managedPolicyStatements(template: Template, roleLogicalId: string): Statement[] {
  const role = template.toJSON().Resources[roleLogicalId] as { Properties: { ManagedPolicyArns?: { Ref: string }[] } };
  const refs = role.Properties.ManagedPolicyArns ?? [];
  if (refs.length !== 1 || !refs[0]?.Ref) throw new Error(`role ${roleLogicalId} must have exactly one customer-managed policy`);
  const policy = template.toJSON().Resources[refs[0].Ref] as { Properties: { PolicyDocument: { Statement: Statement[] } } };
  return policy.Properties.PolicyDocument.Statement;
}

/** Replace asset hashes so the snapshot only changes when the infrastructure does. */
export function normalise(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../lib/http/routes.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { BulkLoad } from '../../infra/constructs/bulk-load.js';
import { DataStore } from '../../infra/constructs/data-store.js';
import { groupByFunction, needsAuthorizer } from '../../infra/constructs/http-api.js';
import { ScheduledPoller } from '../../infra/constructs/scheduled-poller.js';
import { ESBUILD_OPTIONS, ServiceFunction, nodejsBundling, type FunctionDefaults } from '../../infra/constructs/service-function.js';
import { FIXTURE, outdir, removeOutdirs } from './helpers.js';

afterAll(removeOutdirs);

/** A bare stack with the keys the constructs need; bundling skipped. */
function harness() {
  const app = new App({ outdir: outdir(), context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Harness', { env: { region: 'eu-west-1' } });
  const defaults: FunctionDefaults = {
    logsKey: new Key(stack, 'Logs'),
    messagingKey: new Key(stack, 'Messaging'),
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'DEBUG',
  };
  return { stack, defaults };
}

describe('ServiceFunction', () => {
  it('is the only place a NodejsFunction is created', () => {
    const files = readdirSync(join(REPO_ROOT, 'infra'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter(
      (f) => f !== join('constructs', 'service-function.ts') && /new\s+NodejsFunction\b/.test(readFileSync(join(REPO_ROOT, 'infra', f), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });

  it('bundles ESM for node24 with the SDK inside, minified, source maps, createRequire banner', () => {
    expect(nodejsBundling()).toMatchObject({
      format: 'esm',
      target: 'node24',
      minify: true,
      sourceMap: true,
      mainFields: ['module', 'main'],
      externalModules: [],
    });
    expect(ESBUILD_OPTIONS.banner.js).toContain('createRequire');
  });

  it('refuses local-only settings in the cloud and double table binding', () => {
    const { stack, defaults } = harness();
    const props = { entry: FIXTURE, description: 'x', timeout: Duration.seconds(3), memorySize: 128, reservedConcurrency: 1, defaults };
    expect(() => new ServiceFunction(stack, 'A', { ...props, environment: { DYNAMODB_ENDPOINT: 'http://localhost:8000' } })).toThrow(/local-only/);
    const fn = new ServiceFunction(stack, 'B', props);
    expect(() => fn.addEnvironment('DYNAMODB_ENDPOINT', 'http://x')).toThrow(/local-only/);
    const data = new DataStore(stack, 'Data', { dataKey: new Key(stack, 'DataKey') });
    fn.bindTable(data.records, 'read');
    expect(() => fn.bindTable(data.records, 'write')).toThrow(/already bound/);
  });

  it('a write-only binding grants no reads and no index access', () => {
    const { stack, defaults } = harness();
    const data = new DataStore(stack, 'Data', { dataKey: new Key(stack, 'DataKey') });
    const fn = new ServiceFunction(stack, 'W', { entry: FIXTURE, description: 'w', timeout: Duration.seconds(3), memorySize: 128, reservedConcurrency: 1, defaults });
    fn.bindTable(data.reference, 'write');
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0] as {
      Properties: { PolicyDocument: { Statement: { Sid: string; Action: string[]; Resource: unknown }[] } };
    };
    const table = policy.Properties.PolicyDocument.Statement.find((s) => s.Sid === 'ReferenceTableWrite');
    expect(table?.Action).not.toContain('dynamodb:GetItem');
    expect(JSON.stringify(table?.Resource)).not.toContain('/index/');
  });
});

describe('ScheduledPoller', () => {
  it('hourly: rate(1 hour), 10-minute window, delivery retries + DLQ, async retries bounded to half the cadence', () => {
    const { stack, defaults } = harness();
    new ScheduledPoller(stack, 'Poll', { dataset: 'cisa-csaf', entry: FIXTURE, every: Duration.hours(1), timeout: Duration.minutes(5), memorySize: 256, defaults, deliveryRetryAttempts: 5 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
      Target: { RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 1_800 } },
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1_800 });
    t.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1, Timeout: 300 });
    t.resourceCountIs('AWS::SQS::Queue', 2);
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('rejects a timeout that is not shorter than the cadence', () => {
    const { stack, defaults } = harness();
    expect(
      () => new ScheduledPoller(stack, 'Poll', { dataset: 'x', entry: FIXTURE, every: Duration.minutes(5), timeout: Duration.minutes(5), memorySize: 256, defaults }),
    ).toThrow(/shorter than the cadence/);
  });
});

describe('BulkLoad', () => {
  it('Distributed Map with the given failure tolerance and concurrency; function concurrency matches', () => {
    const { stack, defaults } = harness();
    new BulkLoad(stack, 'Load', { dataset: 'openfda:udi', entry: FIXTURE, timeout: Duration.minutes(15), memorySize: 1024, concurrency: 7, defaults, toleratedFailurePercentage: 10 });
    const t = Template.fromStack(stack);
    const sm = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    const text = JSON.stringify(sm.Properties.DefinitionString);
    expect(text).toContain('\\"MaxConcurrency\\":7');
    expect(text).toContain('\\"ToleratedFailurePercentage\\":10');
    expect(text).toContain('DISTRIBUTED');
    t.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 7, Timeout: 900 });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('routes → API', () => {
  const r = (over: Partial<RouteDefinition>): RouteDefinition => ({
    method: 'GET',
    path: '/x',
    entry: FIXTURE,
    functionName: 'x',
    auth: 'public',
    timeoutSeconds: 5,
    memoryMb: 128,
    ...over,
  });

  it('groups routes by functionName (largest timeout and memory win), rejects another entry or a duplicate route', () => {
    expect(groupByFunction([r({}), r({ path: '/y' }), r({ functionName: 'z', path: '/z' })]).map((g) => [g.name, g.routes.length])).toEqual([
      ['x', 2],
      ['z', 1],
    ]);
    const [group] = groupByFunction([r({}), r({ path: '/y', memoryMb: 1024, timeoutSeconds: 29 }), r({ path: '/z', timeoutSeconds: 10 })]);
    expect(group).toMatchObject({ timeoutSeconds: 29, memoryMb: 1024 });
    expect(() => groupByFunction([r({}), r({ path: '/y', entry: 'functions/api/other.ts' })])).toThrow(/disagree on the entry/);
    expect(() => groupByFunction([r({}), r({})])).toThrow(/defined twice/);
  });

  it('needs an authorizer only for non-public routes', () => {
    expect(needsAuthorizer([r({})])).toBe(false);
    expect(needsAuthorizer([r({}), r({ path: '/v1/checks', auth: 'check' })])).toBe(true);
  });
});

import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/config.js';
import { ROUTES, routeKey } from '../../lib/http/routes.js';
import { SERVICE } from '../../lib/observability.js';
import { RECORDS_TABLE, REFERENCE_TABLE, TABLES } from '../../lib/store/tables.js';
import { nagPacks } from '../../infra/build.js';
import { DEFAULT_SETTINGS } from '../../infra/config.js';
import { AUTHORIZER_CACHE_TTL, AUTHORIZER_ENTRY, needsAuthorizer } from '../../infra/constructs/http-api.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../infra/constructs/service-function.js';
import { BULK_LOADS, CADENCE_SECONDS, INGEST_DATASETS, INGEST_LAG_METRIC, entryExists } from '../../infra/ingest-plan.js';
import type { UdiSentinelStack } from '../../infra/stacks/udi-sentinel-stack.js';
import { CSAF_DATASET } from '../../lib/ingest/csaf.js';
import { OPENFDA_DATASETS, openFdaPollSource } from '../../lib/ingest/openfda.js';
import { SAFETY_DATASET } from '../../lib/ingest/safety-rss.js';
import { OPENFDA_API_KEY_SECRET_ENV } from '../../infra/stacks/udi-sentinel-stack.js';
import {
  CDK_JSON,
  SYNTHETIC_BULK,
  SYNTHETIC_DATASETS,
  SYNTHETIC_ROUTES,
  actionsOf,
  build,
  idOf,
  managedPolicyStatements,
  normalise,
  removeOutdirs,
  type Statement,
} from './helpers.js';

/** Synthesised CloudFormation is untyped JSON; tests index into it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

/** The app exactly as `npm run synth` builds it (real ROUTES / INGEST_DATASETS / BULK_LOADS). */
let real: { stack: UdiSentinelStack; template: Template; app: ReturnType<typeof build>['app'] };
/** The app with synthetic routes (incl. non-public ones), pollers and a bulk load on the fixture handler. */
let full: { stack: UdiSentinelStack; template: Template; app: ReturnType<typeof build>['app'] };

beforeAll(() => {
  // Template.fromStack synthesises, which runs the registered nag packs (and, for the real app, CDK's
  // CloudFormation rules as `npm run synth` does): a finding would throw here.
  const r = build({}, {}, true);
  real = { ...r, template: Template.fromStack(r.stack) };
  const f = build({ routes: SYNTHETIC_ROUTES, authorizerEntry: 'test/infra/fixtures/handler.ts', ingestDatasets: SYNTHETIC_DATASETS, bulkLoads: SYNTHETIC_BULK });
  full = { ...f, template: Template.fromStack(f.stack) };
}, 120_000);
afterAll(removeOutdirs);

const resources = (t: Template): Resources => t.toJSON().Resources as Resources;

describe('settings', () => {
  it('cdk.json runs the app with tsx and carries the same defaults as the code', () => {
    expect(CDK_JSON.app).toBe('npx tsx infra/app.ts');
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) expect(CDK_JSON.context[key], key).toEqual(value);
    expect(CDK_JSON.context['@aws-cdk/core:target-partitions']).toBeDefined();
  });

  it('function defaults agree with lib/observability.ts', () => {
    expect(SERVICE_NAME).toBe(SERVICE);
    expect(METRICS_NAMESPACE).toBe(INGEST_LAG_METRIC.namespace);
  });

  it('rejects a bad context value with the key named', () => {
    expect(() => build({}, { apiRateLimit: 'fast' })).toThrow(/apiRateLimit/);
    expect(() => build({}, { jwtIssuer: 'https://id.example.org' })).toThrow(/jwtAudience/);
    expect(() => build({}, { logRetentionDays: 42 })).toThrow(/logRetentionDays/);
  });
});

describe('tables', () => {
  it.each(TABLES.map((d) => [d.id, d] as const))('%s: keys, GSIs, TTL, on demand from lib/store/tables.ts', (_id, def) => {
    const t = real.template;
    const index = (i: (typeof def.indexes)[number]) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: def.indexes.map(index),
      TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('both tables: PITR, deletion protection, customer-managed KMS key with rotation, RETAIN', () => {
    const tables = Object.entries(resources(real.template)).filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(2);
    const keyId = idOf(real.stack, real.stack.dataKey);
    for (const [, table] of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.Replicas).toEqual([
        expect.objectContaining({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }),
      ]);
    }
    expect(resources(real.template)[keyId]?.Properties.EnableKeyRotation).toBe(true);
  });

  it('an AWS Backup plan selects both tables into a KMS-encrypted vault', () => {
    const t = real.template;
    const ref = idOf(real.stack, real.stack.data.reference.table);
    const recs = idOf(real.stack, real.stack.data.records.table);
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        Resources: [{ 'Fn::GetAtt': [ref, 'Arn'] }, { 'Fn::GetAtt': [recs, 'Arn'] }],
      }),
    });
    t.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: Match.arrayWith([Match.objectLike({ RuleName: 'Daily35Days', Lifecycle: { DeleteAfterDays: 35 } })]),
      }),
    });
  });
});

describe('functions', () => {
  it('every function: Node 24, ARM64, tracing, reserved concurrency, DLQ, Powertools env, source maps', () => {
    for (const t of [real.template, full.template]) {
      const fns = Object.values(resources(t)).filter((r) => r.Type === 'AWS::Lambda::Function');
      expect(fns.length).toBeGreaterThan(0);
      for (const fn of fns) {
        const p = fn.Properties as Record<string, Json>;
        expect(p.Runtime).toBe('nodejs24.x');
        expect(p.Architectures).toEqual(['arm64']);
        expect(p.TracingConfig).toEqual({ Mode: 'Active' });
        expect(p.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(1);
        expect(p.DeadLetterConfig?.TargetArn).toBeDefined();
        expect(p.LoggingConfig?.LogGroup).toBeDefined();
        const env = p.Environment.Variables as Record<string, unknown>;
        expect(env).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'udi-sentinel',
          POWERTOOLS_METRICS_NAMESPACE: 'UdiSentinel',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        });
        expect(env).not.toHaveProperty(ENV.DYNAMODB_ENDPOINT);
      }
    }
  });

  it('every function has its own log group with retention and the logs CMK', () => {
    const logsKey = idOf(full.stack, full.stack.logsKey);
    for (const fn of full.stack.functions) {
      full.template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: DEFAULT_SETTINGS.logRetentionDays,
        KmsKeyId: { 'Fn::GetAtt': [logsKey, 'Arn'] },
      });
      const p = resources(full.template)[idOf(full.stack, fn.function)]?.Properties as Record<string, Json>;
      expect(p.LoggingConfig.LogGroup).toEqual({ Ref: idOf(full.stack, fn.logGroup) });
    }
  });

  it('DLQs are KMS-encrypted and refuse plain HTTP', () => {
    const key = idOf(full.stack, full.stack.messagingKey);
    const queues = Object.values(resources(full.template)).filter((r) => r.Type === 'AWS::SQS::Queue');
    expect(queues.length).toBe(full.stack.functions.length + full.stack.pollers.length);
    for (const q of queues) expect(q.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    const policies = Object.values(resources(full.template)).filter((r) => r.Type === 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(queues.length);
    for (const p of policies) {
      expect(JSON.stringify(p.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('least privilege', () => {
  const statementsOf = (which: 'health' | 'check' | 'authorizer' | 'poller' | 'bulk'): Statement[] => {
    const { stack, template } = full;
    const fn =
      which === 'authorizer'
        ? stack.api.authorizerFunction
        : which === 'poller'
          ? stack.pollers.find((p) => p.dataset === 'openfda:recall')?.fn
          : which === 'bulk'
            ? stack.bulkLoads[0]?.fn
            : stack.api.functions.get(which);
    if (!fn) throw new Error(`no ${which} function`);
    return managedPolicyStatements(template, idOf(stack, fn.role));
  };
  const tableArn = (which: 'reference' | 'records') => ({ 'Fn::GetAtt': [idOf(full.stack, full.stack.data[which].table), 'Arn'] });
  const onTable = (statements: Statement[], which: 'reference' | 'records') =>
    statements.filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(tableArn(which))));
  const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

  it('function roles have no AWS managed policy and no inline policy: one customer-managed policy each', () => {
    for (const fn of full.stack.functions) {
      const role = resources(full.template)[idOf(full.stack, fn.role)]?.Properties as Record<string, Json>;
      expect(role.ManagedPolicyArns).toEqual([{ Ref: idOf(full.stack, fn.policy) }]);
      expect(role.Policies).toBeUndefined();
    }
    const inline = Object.values(resources(full.template)).filter((r) => r.Type === 'AWS::IAM::Policy');
    // Only the Step Functions role (CDK-generated, acknowledged) keeps inline policies.
    for (const p of inline) expect(JSON.stringify(p.Properties.Roles)).toContain('StateMachineRole');
  });

  it('no IAM policy anywhere grants a wildcard action', () => {
    for (const t of [real.template, full.template]) {
      for (const r of Object.values(resources(t))) {
        if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
        for (const s of (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
          for (const action of actionsOf(s)) expect(action, JSON.stringify(s)).not.toContain('*');
        }
      }
    }
  });

  it('API functions read the reference table (writing only the GUDID cache DI#*) and read-write records; health only reads', () => {
    const check = statementsOf('check');
    const [refRead, cacheWrite, ...rest] = onTable(check, 'reference');
    expect(rest).toHaveLength(0);
    expect(refRead?.Sid).toBe('ReferenceTableRead');
    expect(refRead?.Condition).toBeUndefined();
    expect(actionsOf(refRead as Statement).some((a) => /Put|Update|Delete|Write/.test(a))).toBe(false);
    expect(cacheWrite?.Sid).toBe('ReferenceTableGudidCacheWrite');
    expect(cacheWrite?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DI#*'] } });
    expect(actionsOf(onTable(check, 'records')[0] as Statement)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']));

    const health = statementsOf('health');
    for (const s of health) for (const w of WRITES) expect(actionsOf(s)).not.toContain(w);
    expect(onTable(health, 'records')).toHaveLength(1);
  });

  it('the authorizer reads API key items of the records table and may only stamp their lastUsedAt', () => {
    const statements = statementsOf('authorizer');
    expect(onTable(statements, 'reference')).toHaveLength(0);
    const [read, update] = onTable(statements, 'records');
    expect(read?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } });
    for (const w of WRITES) expect(actionsOf(read as Statement)).not.toContain(w);
    expect(update?.Action).toBe('dynamodb:UpdateItem');
    expect(update?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] },
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
    });
  });

  it.each(['poller', 'bulk'] as const)('%s: writes the reference table, only its own cursor/bulk items of records, reads the openFDA secret', (which) => {
    const statements = statementsOf(which);
    const keySpace = which === 'poller' ? 'openfda-recall' : 'udi';
    const [ref] = onTable(statements, 'reference');
    expect(actionsOf(ref as Statement)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:BatchWriteItem']));
    expect(ref?.Condition).toBeUndefined();
    const [records] = onTable(statements, 'records');
    expect(records?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`CURSOR#${keySpace}`, `BULK#${keySpace}#*`] },
    });
    const secret = statements.find((s) => s.Sid === 'OpenFdaApiKey');
    expect(secret?.Action).toBe('secretsmanager:GetSecretValue');
    expect(secret?.Resource).toEqual({ Ref: idOf(full.stack, full.stack.openFdaApiKey) });
    // KMS use is confined to the service calling on the function's behalf.
    for (const s of statements.filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
      expect(Object.keys(s.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
    }
  });

  it('only openFDA ingest functions get the secret name; API functions do not', () => {
    const env = (fn: { function: unknown }) =>
      (resources(full.template)[idOf(full.stack, fn.function as never)]?.Properties as Json).Environment.Variables as Record<string, unknown>;
    const poller = full.stack.pollers.find((p) => p.dataset === 'openfda:recall');
    const csaf = full.stack.pollers.find((p) => p.dataset === 'cisa-csaf');
    expect(env(poller!.fn)[OPENFDA_API_KEY_SECRET_ENV]).toBe('UdiSentinel/openfda-api-key');
    expect(env(csaf!.fn)).not.toHaveProperty(OPENFDA_API_KEY_SECRET_ENV);
    for (const fn of full.stack.api.allFunctions) expect(env(fn)).not.toHaveProperty(OPENFDA_API_KEY_SECRET_ENV);
  });
});

describe('HTTP API', () => {
  const routeKeys = (t: Template) =>
    Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey);

  it('deploys the routes of lib/http/routes.ts — all of them once scoped routes can be protected', () => {
    const withheld = real.stack.api.withheldRoutes;
    const canProtect = entryExists(AUTHORIZER_ENTRY);
    expect(withheld).toEqual(canProtect ? [] : ROUTES.filter((r) => r.auth !== 'public'));
    const expected = ROUTES.filter((r) => !withheld.includes(r));
    expect(new Set(routeKeys(real.template))).toEqual(new Set(expected.map(routeKey)));
    expect(routeKeys(real.template)).toHaveLength(expected.length);
    expect(new Set(routeKeys(full.template))).toEqual(new Set(SYNTHETIC_ROUTES.map(routeKey)));
    expect(full.stack.api.withheldRoutes).toEqual([]);
  });

  it('one Lambda integration per distinct functionName', () => {
    const deployed = ROUTES.filter((r) => !real.stack.api.withheldRoutes.includes(r));
    for (const [t, routes] of [
      [real.template, deployed],
      [full.template, SYNTHETIC_ROUTES],
    ] as const) {
      t.resourceCountIs('AWS::ApiGatewayV2::Integration', new Set(routes.map((r) => r.functionName)).size);
    }
    expect([...full.stack.api.functions.keys()].sort()).toEqual(['check', 'docs', 'health', 'inventory']);
  });

  it('every route but /health and /openapi.json has an authorizer', () => {
    for (const t of [real.template, full.template]) {
      for (const r of Object.values(t.findResources('AWS::ApiGatewayV2::Route'))) {
        const p = (r as { Properties: Record<string, unknown> }).Properties;
        const path = String(p.RouteKey).split(' ')[1];
        if (path === '/health' || path === '/openapi.json') {
          expect(p.AuthorizerId).toBeUndefined();
        } else {
          expect(p.AuthorizationType, String(p.RouteKey)).toBe('CUSTOM');
          expect(p.AuthorizerId).toBeDefined();
        }
      }
    }
  });

  it('authorizer resources exist only when a route is not public (and its handler exists)', () => {
    const expected = needsAuthorizer(ROUTES) && entryExists(AUTHORIZER_ENTRY);
    real.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', expected ? 1 : 0);
    expect(real.stack.api.authorizerFunction !== undefined).toBe(expected);
    const publicOnly = build({ routes: SYNTHETIC_ROUTES.filter((r) => r.auth === 'public'), authorizerEntry: 'test/infra/fixtures/handler.ts' });
    Template.fromStack(publicOnly.stack).resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    expect(publicOnly.stack.api.authorizerFunction).toBeUndefined();
    full.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    full.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      // No API Gateway result cache: it would reuse one route's "allow" for another route's scope, and
      // its identity sources would make either key header alone a 401 (see infra/constructs/http-api.ts).
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: [],
    });
    expect(AUTHORIZER_CACHE_TTL.toSeconds()).toBe(0);
  });

  it('without an authorizer handler, scoped routes are withheld (fail closed) and synth warns', () => {
    const { stack } = build({ routes: SYNTHETIC_ROUTES, authorizerEntry: 'functions/api/no-such-authorizer.ts' });
    const t = Template.fromStack(stack);
    expect(stack.api.withheldRoutes.map(routeKey)).toEqual(['POST /v1/checks', 'GET /v1/checks/{id}', 'PUT /v1/inventory/{id}']);
    expect(new Set(routeKeys(t))).toEqual(new Set(['GET /health', 'GET /openapi.json']));
    t.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    expect([...stack.api.functions.keys()].sort()).toEqual(['docs', 'health']);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Not deployed until functions/api/no-such-authorizer.ts exists'));
  });

  it('with jwtIssuer + jwtAudience, scoped routes use a JWT authorizer with the route scope', () => {
    const { stack } = build({ routes: SYNTHETIC_ROUTES }, { jwtIssuer: 'https://id.example.org/', jwtAudience: 'udi-sentinel' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://id.example.org/', Audience: ['udi-sentinel'] },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /v1/checks', AuthorizationType: 'JWT', AuthorizationScopes: ['check'] });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'PUT /v1/inventory/{id}', AuthorizationScopes: ['inventory'] });
    expect(stack.api.authorizerFunction).toBeUndefined();
  });

  it('stage: throttling and JSON access logs to a KMS-encrypted log group', () => {
    const t = real.template;
    const stage = Object.values(t.findResources('AWS::ApiGatewayV2::Stage'))[0] as { Properties: Record<string, Json> };
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_SETTINGS.apiRateLimit,
      ThrottlingBurstLimit: DEFAULT_SETTINGS.apiBurstLimit,
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    expect(JSON.stringify(format)).not.toMatch(/header|body|authorization/i);
    const logs = idOf(real.stack, real.stack.api.accessLogs);
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logs, 'Arn'] });
    expect(resources(t)[logs]?.Properties.KmsKeyId).toBeDefined();
  });
});

describe('ingestion', () => {
  it('deploys a poller for each INGEST_DATASETS entry whose handler exists, and a bulk load likewise', () => {
    real.template.resourceCountIs('AWS::Scheduler::Schedule', INGEST_DATASETS.filter((d) => entryExists(d.entry)).length);
    real.template.resourceCountIs('AWS::StepFunctions::StateMachine', BULK_LOADS.filter((d) => entryExists(d.entry)).length);
    // The synthetic plan has one dataset whose handler is missing: skipped.
    expect(full.stack.pollers.map((p) => p.dataset)).toEqual(['openfda:recall', 'cisa-csaf']);
  });

  it('each plan keySpace is the name lib/ingest uses in its records-table keys', () => {
    const expected: Record<string, string> = {
      'cisa-csaf': CSAF_DATASET,
      'fda-rss': SAFETY_DATASET,
    };
    for (const d of OPENFDA_DATASETS) expected[`openfda:${d}`] = openFdaPollSource({} as never, d, {} as never).dataset;
    for (const plan of INGEST_DATASETS) expect(plan.keySpace, plan.dataset).toBe(expected[plan.dataset]);
    // Bulk partitions are keyed by the openFDA dataset name (lib/ingest/bulk.ts loadBulkFile).
    for (const plan of BULK_LOADS) expect(`openfda:${plan.keySpace}`).toBe(plan.dataset);
  });

  it('schedules: rate from the cadence, flexible window, retry policy, DLQ, dataset payload', () => {
    const poller = full.stack.pollers.find((p) => p.dataset === 'openfda:recall')!;
    full.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 240 },
      Target: {
        Arn: { 'Fn::GetAtt': [idOf(full.stack, poller.fn.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 43_200 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(full.stack, poller.schedulerDeadLetterQueue), 'Arn'] } },
        Input: JSON.stringify({ dataset: 'openfda:recall', trigger: 'schedule' }),
        RoleArn: { 'Fn::GetAtt': [idOf(full.stack, poller.schedulerRole), 'Arn'] },
      },
    });
    full.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 } });
  });

  it('pollers: concurrency 1, async retries bounded, failures to the function DLQ', () => {
    for (const poller of full.stack.pollers) {
      const fnId = idOf(full.stack, poller.fn.function);
      expect((resources(full.template)[fnId]?.Properties as Json).ReservedConcurrentExecutions).toBe(1);
      full.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: Math.min(CADENCE_SECONDS[poller.dataset === 'cisa-csaf' ? 'hourly' : 'daily'] / 2, 21_600),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(full.stack, poller.fn.deadLetterQueue), 'Arn'] } } },
      });
    }
  });

  it('the scheduler role may invoke only its poller (no `:*`) and send to its DLQ', () => {
    const poller = full.stack.pollers[0]!;
    const statements = managedPolicyStatements(full.template, idOf(full.stack, poller.schedulerRole));
    expect(statements.find((s) => s.Sid === 'InvokePoller')?.Resource).toEqual({ 'Fn::GetAtt': [idOf(full.stack, poller.fn.function), 'Arn'] });
    expect(statements.map((s) => s.Sid).sort()).toEqual(['InvokePoller', 'SchedulerDlq', 'SchedulerDlqKey']);
  });

  it('bulk load: Distributed Map over partitions, failure tolerance, logs and tracing', () => {
    const load = full.stack.bulkLoads[0]!;
    const sm = resources(full.template)[idOf(full.stack, load.stateMachine)]?.Properties as Record<string, Json>;
    expect(sm.StateMachineType).toBe('STANDARD');
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    const definition = JSON.parse(
      (sm.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : '<ref>')).join(''),
    ) as { States: Record<string, Json> };
    const map = definition.States.LoadPartitions;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.partitions',
      MaxConcurrency: DEFAULT_SETTINGS.bulkLoadConcurrency,
      ToleratedFailurePercentage: 5,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    expect(map.ItemSelector).toEqual({ 'runId.$': '$.runId', 'index.$': '$$.Map.Item.Index', 'partition.$': '$$.Map.Item.Value' });
    expect(JSON.stringify(map.ItemProcessor.States.LoadPartition.Retry)).toContain('Lambda.TooManyRequestsException');
    expect((resources(full.template)[idOf(full.stack, load.fn.function)]?.Properties as Json).ReservedConcurrentExecutions).toBe(
      DEFAULT_SETTINGS.bulkLoadConcurrency,
    );
  });
});

describe('alarms', () => {
  const alarms = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, Json> }[];

  it('every alarm notifies the KMS-encrypted topic', () => {
    const topic = idOf(full.stack, full.stack.alarms.topic);
    full.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const a of alarms(full.template)) expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('every DLQ has a depth alarm; every function has error and throttle alarms', () => {
    const t = full.template;
    const queues = Object.keys(t.findResources('AWS::SQS::Queue'));
    const watched = alarms(t).filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(new Set(watched.map((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]))).toEqual(new Set(queues));
    const fns = Object.keys(t.findResources('AWS::Lambda::Function'));
    for (const metric of ['Errors', 'Throttles']) {
      const byFn = alarms(t).filter((a) => a.Properties.MetricName === metric && a.Properties.Namespace === 'AWS/Lambda');
      expect(new Set(byFn.map((a) => a.Properties.Dimensions[0].Value.Ref))).toEqual(new Set(fns));
    }
  });

  it('API 5xx rate alarm', () => {
    const rate = alarms(real.template).find((a) => a.Properties.Metrics?.some((m: Json) => m.Expression?.includes('errors / requests')));
    expect(rate?.Properties).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
  });

  it('ingest lag alarm per poller: > 2× upstream cadence, missing data breaches, ≤ 7-day evaluation', () => {
    for (const poller of full.stack.pollers) {
      const plan = SYNTHETIC_DATASETS.find((d) => d.dataset === poller.dataset)!;
      const period = Math.min(poller.every.toSeconds(), 86_400);
      full.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'UdiSentinel',
        MetricName: 'IngestLagSeconds',
        Dimensions: Match.arrayWith([{ Name: 'dataset', Value: poller.dataset }, { Name: 'service', Value: 'udi-sentinel' }]),
        Threshold: 2 * CADENCE_SECONDS[plan.upstreamCadence],
        Period: period,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
    const lag = alarms(full.template).filter((a) => a.Properties.MetricName === 'IngestLagSeconds');
    expect(lag).toHaveLength(full.stack.pollers.length);
    for (const a of lag) expect(a.Properties.Period * a.Properties.EvaluationPeriods).toBeLessThanOrEqual(7 * 86_400);
  });

  it('bulk load failure alarm', () => {
    full.template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' });
  });
});

describe('cdk-nag (AwsSolutions + HIPAA.Security)', () => {
  it.each([
    ['real app', () => real.app],
    ['app with every construct', () => full.app],
  ])('%s: no unacknowledged finding', (_name, app) => {
    for (const pack of nagPacks()) {
      const report = pack.validateScope(app());
      expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  it('every acknowledgement names a rule and gives a specific reason', () => {
    const { acknowledgements } = build({ routes: SYNTHETIC_ROUTES, authorizerEntry: 'test/infra/fixtures/handler.ts', ingestDatasets: SYNTHETIC_DATASETS, bulkLoads: SYNTHETIC_BULK });
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) {
      expect(a.id).toMatch(/^(AwsSolutions|HIPAA\.Security)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(a.reason.length).toBeGreaterThan(60);
    }
  });
});

describe('snapshot', () => {
  // Of the synthetic app (every construct, fixed routes and datasets) rather than the real one, so the
  // snapshot changes when the infrastructure code does — not each time a route or handler lands.
  it('template of the app with every construct (asset hashes normalised)', () => {
    expect(normalise(full.template.toJSON())).toMatchSnapshot();
  });
});

// Both definitions of lib/store/tables.ts are deployed, and nothing else.
it('deploys the two table definitions', () => {
  expect(TABLES).toEqual([REFERENCE_TABLE, RECORDS_TABLE]);
  real.template.resourceCountIs('AWS::DynamoDB::GlobalTable', TABLES.length);
});

import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lib/http/routes.js';
import { rec } from '../../lib/store/keys.js';
import type { InfraSettings } from '../config.js';
import { ENV } from '../../lib/config.js';
import { Alarms } from '../constructs/alarms.js';
import { BulkLoad } from '../constructs/bulk-load.js';
import { DataStore } from '../constructs/data-store.js';
import { ServiceApi, type TableGrant } from '../constructs/http-api.js';
import { ScheduledPoller } from '../constructs/scheduled-poller.js';
import type { FunctionDefaults, ServiceFunction } from '../constructs/service-function.js';
import {
  BULK_LOADS,
  CADENCE_SECONDS,
  INGEST_DATASETS,
  datasetId,
  entryExists,
  type BulkLoadPlan,
  type IngestDataset,
} from '../ingest-plan.js';

/**
 * Name of the environment variable holding the openFDA API key's Secrets Manager secret NAME (never
 * the key), from the environment contract in lib/config.ts; lib/ingest/openfda.ts reads the secret.
 */
export const OPENFDA_API_KEY_SECRET_ENV = ENV.OPENFDA_API_KEY_SECRET;

/** API functions whose table access differs from DEFAULT_API_ACCESS (read reference, read-write records). */
export const API_ACCESS_OVERRIDES: Readonly<Record<string, TableGrant>> = {
  // Liveness probe: reads the source-status partition and pings the records table. Writes nothing.
  health: { reference: 'read', records: 'read' },
  // Pure parsing: no table at all.
  'udi-parse': {},
};

export interface UdiSentinelStackProps extends StackProps {
  settings: InfraSettings;
  /** Defaults to ROUTES (tests pass synthetic lists). */
  routes?: readonly RouteDefinition[];
  /** Defaults to INGEST_DATASETS; only entries whose handler exists are deployed. */
  ingestDatasets?: readonly IngestDataset[];
  /** Defaults to BULK_LOADS; only entries whose handler exists are deployed. */
  bulkLoads?: readonly BulkLoadPlan[];
  /** Override of the authorizer entry (tests). */
  authorizerEntry?: string;
}

/**
 * udi-sentinel in one stack: tables (RETAIN + deletion protection, so a stack delete never takes data),
 * the HTTP API built from ROUTES, pollers and bulk loads for the ingest handlers that exist, the
 * openFDA key secret, and alarms.
 */
export class UdiSentinelStack extends Stack {
  readonly dataKey: Key;
  readonly logsKey: Key;
  readonly messagingKey: Key;
  readonly data: DataStore;
  readonly api: ServiceApi;
  readonly openFdaApiKey: Secret;
  /** Literal secret name (functions get the name, never the value). */
  readonly openFdaApiKeySecretName: string;
  readonly pollers: ScheduledPoller[] = [];
  readonly bulkLoads: BulkLoad[] = [];
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: UdiSentinelStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.dataKey = new Key(this, 'DataKey', {
      description: 'udi-sentinel data: DynamoDB tables, backups, secrets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsKey = new Key(this, 'LogsKey', {
      description: 'udi-sentinel CloudWatch Logs (functions, API access logs, Step Functions)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsInThisAccount',
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );
    this.messagingKey = new Key(this, 'MessagingKey', {
      description: 'udi-sentinel queues and the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.messagingKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    const defaults: FunctionDefaults = {
      logsKey: this.logsKey,
      messagingKey: this.messagingKey,
      logRetention: settings.logRetentionDays,
      logLevel: settings.logLevel,
    };

    this.data = new DataStore(this, 'Data', { dataKey: this.dataKey });
    const { reference, records } = this.data;

    this.openFdaApiKeySecretName = `${this.stackName}/openfda-api-key`;
    this.openFdaApiKey = new Secret(this, 'OpenFdaApiKey', {
      secretName: this.openFdaApiKeySecretName,
      description: 'openFDA (api.data.gov) API key — set the real value after the first deploy (docs/deploy.md)',
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.alarms = new Alarms(this, 'Alarms', { key: this.messagingKey, ...(settings.alarmEmail ? { email: settings.alarmEmail } : {}) });

    // --- API -------------------------------------------------------------------------------------
    this.api = new ServiceApi(this, 'Http', {
      routes: props.routes ?? ROUTES,
      reference,
      records,
      defaults,
      throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
      reservedConcurrency: settings.apiReservedConcurrency,
      access: API_ACCESS_OVERRIDES,
      ...(settings.jwtIssuer && settings.jwtAudience ? { jwt: { issuer: settings.jwtIssuer, audience: settings.jwtAudience } } : {}),
      ...(props.authorizerEntry ? { authorizerEntry: props.authorizerEntry } : {}),
    });
    for (const [name, fn] of this.api.functions) this.watchFunction(`api-${name}`, fn);
    if (this.api.authorizerFunction) this.watchFunction('api-authorizer', this.api.authorizerFunction);
    this.alarms.api5xxRate(this.api.api);

    // --- Ingestion: only what has a handler on disk ------------------------------------------------
    for (const plan of (props.ingestDatasets ?? INGEST_DATASETS).filter((p) => entryExists(p.entry))) {
      const every = Duration.seconds(CADENCE_SECONDS[plan.cadence]);
      const poller = new ScheduledPoller(this, `Poll-${datasetId(plan.dataset)}`, {
        dataset: plan.dataset,
        entry: plan.entry,
        every,
        timeout: Duration.seconds(plan.timeoutSeconds),
        memorySize: plan.memoryMb,
        defaults,
      });
      this.bindIngest(poller.fn, plan.keySpace, plan.usesOpenFdaKey);
      this.pollers.push(poller);
      this.watchFunction(`poll-${datasetId(plan.dataset)}`, poller.fn);
      this.alarms.deadLetterQueue(`poll-${datasetId(plan.dataset)}-scheduler`, poller.schedulerDeadLetterQueue);
      this.alarms.ingestLag(plan.dataset, every, Duration.seconds(CADENCE_SECONDS[plan.upstreamCadence]));
    }
    for (const plan of (props.bulkLoads ?? BULK_LOADS).filter((p) => entryExists(p.entry))) {
      const load = new BulkLoad(this, `BulkLoad-${datasetId(plan.dataset)}`, {
        dataset: plan.dataset,
        entry: plan.entry,
        timeout: Duration.seconds(plan.timeoutSeconds),
        memorySize: plan.memoryMb,
        concurrency: settings.bulkLoadConcurrency,
        defaults,
      });
      this.bindIngest(load.fn, plan.keySpace, plan.usesOpenFdaKey);
      this.bulkLoads.push(load);
      this.watchFunction(`bulk-${datasetId(plan.dataset)}`, load.fn);
      this.alarms.bulkLoad(plan.dataset, load.stateMachine);
      new CfnOutput(this, `BulkLoadStateMachine-${datasetId(plan.dataset)}`, { value: load.stateMachine.stateMachineArn });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'udi-sentinel check --api <this URL>' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'OpenFdaApiKeySecretName', { value: this.openFdaApiKeySecretName });
    new CfnOutput(this, 'ReferenceTableName', { value: reference.table.tableName });
    new CfnOutput(this, 'RecordsTableName', { value: records.table.tableName });
  }

  /** Every function of the stack. */
  get functions(): ServiceFunction[] {
    return [...this.api.allFunctions, ...this.pollers.map((p) => p.fn), ...this.bulkLoads.map((b) => b.fn)];
  }

  /**
   * Ingest functions write the public mirror, and in the records table touch only their own cursor,
   * lease and bulk-run items (dynamodb:LeadingKeys).
   */
  private bindIngest(fn: ServiceFunction, keySpace: string, usesOpenFdaKey: boolean): void {
    fn.bindTable(this.data.reference, 'readwrite');
    fn.bindTable(this.data.records, 'readwrite', {
      leadingKeys: [rec.cursor(keySpace).pk, rec.bulkPartition(keySpace, '*', '*').pk],
    });
    if (usesOpenFdaKey) this.grantOpenFdaKey(fn);
  }

  private grantOpenFdaKey(fn: ServiceFunction): void {
    fn.addEnvironment(OPENFDA_API_KEY_SECRET_ENV, this.openFdaApiKeySecretName);
    fn.allow(
      new PolicyStatement({
        sid: 'OpenFdaApiKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.openFdaApiKey.secretArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'OpenFdaApiKeyDecrypt',
        actions: ['kms:Decrypt'],
        resources: [this.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
  }

  private watchFunction(subject: string, fn: ServiceFunction): void {
    this.alarms.fn(subject, fn);
    this.alarms.deadLetterQueue(subject, fn.deadLetterQueue);
  }
}

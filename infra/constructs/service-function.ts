import { Duration, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type DestinationConfig, type DestinationOptions, type IDestination, type IFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { ENV } from '../../lib/config.js';
import { REPO_ROOT } from '../../lib/paths.js';
import type { TableDefinition } from '../../lib/store/tables.js';
import { entryPath } from '../ingest-plan.js';
import type { ServiceTable } from './data-store.js';

/** Must equal SERVICE in lib/observability.ts (a test holds them together). */
export const SERVICE_NAME = 'udi-sentinel';
/** Must equal the Metrics namespace in lib/observability.ts. */
export const METRICS_NAMESPACE = 'UdiSentinel';

/**
 * The one runtime every function uses: the newest Node.js constant in aws-cdk-lib 2.276
 * (cdk-nag AwsSolutions-L1 fires on anything older).
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * ESM bundles import CJS-only dependencies (aws-xray-sdk-core, some of @smithy) through `require`;
 * this banner gives the bundle a real one. Aliased so it cannot clash with the bundle's own imports.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __udiCreateRequire } from 'node:module'; const require = __udiCreateRequire(import.meta.url);";

/**
 * The esbuild options every function is bundled with. Exported in esbuild's own vocabulary so the
 * bundle benchmark (test/bench/lambda.bench.ts) builds exactly what is deployed; `nodejsBundling()`
 * maps them onto NodejsFunction.
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: CREATE_REQUIRE_BANNER },
  /** The AWS SDK v3 is bundled (pinned version, one file to resolve at cold start). */
  external: [] as string[],
  outExtension: { '.js': '.mjs' },
} as const;

/** ESBUILD_OPTIONS expressed as NodejsFunction bundling options. */
export function nodejsBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: ESBUILD_OPTIONS.target,
    minify: ESBUILD_OPTIONS.minify,
    sourceMap: true,
    sourcesContent: ESBUILD_OPTIONS.sourcesContent,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    banner: ESBUILD_OPTIONS.banner.js,
    externalModules: [...ESBUILD_OPTIONS.external],
  };
}

export type TableAccess = 'read' | 'write' | 'readwrite';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];
/** Spelled out (no `kms:GenerateDataKey*` / `kms:ReEncrypt*`): only what DynamoDB SSE-KMS uses. */
const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Environment variable that names each table, from the environment contract in lib/config.ts. */
const TABLE_ENV: Readonly<Record<TableDefinition['id'], string>> = {
  reference: ENV.REFERENCE_TABLE,
  records: ENV.RECORDS_TABLE,
};

/** Names that must never be set in the cloud (local-only switches). */
const FORBIDDEN_ENV = [ENV.DYNAMODB_ENDPOINT];

export interface FunctionDefaults {
  /** CMK for the function's log group (its key policy admits CloudWatch Logs). */
  logsKey: IKey;
  /** CMK for the dead-letter queue. */
  messagingKey: IKey;
  logRetention: RetentionDays;
  logLevel: string;
}

export interface ServiceFunctionProps {
  /** Handler module, repo-relative (as in ROUTES / INGEST_DATASETS) or absolute; exports `handler`. */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Reserved concurrency: caps cost, DynamoDB load and upstream quota use (HIPAA LambdaConcurrency). */
  reservedConcurrency: number;
  defaults: FunctionDefaults;
  /** Extra environment (names from lib/config.ts ENV or documented additions). */
  environment?: Record<string, string>;
}

/**
 * Every Lambda in udi-sentinel: Node.js 24 on ARM64, ESM bundle with the SDK inside, active tracing,
 * an explicit KMS-encrypted log group with retention, Powertools settings, its own role, and a
 * KMS-encrypted DLQ that also serves as the on-failure destination for asynchronous invocations.
 *
 * Permissions: the role holds exactly one customer-managed policy (`policy`), written only by this
 * construct (bindTable, allow). The function sees the role as immutable, so CDK helpers cannot add
 * inline grants behind our back (no AWSLambdaBasicExecutionRole, no `…:*` or `kms:…*` wildcards).
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly policy: ManagedPolicy;
  readonly logGroup: LogGroup;
  readonly deadLetterQueue: Queue;
  private readonly boundTables = new Set<string>();

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { defaults } = props;
    for (const name of Object.keys(props.environment ?? {})) {
      if (FORBIDDEN_ENV.includes(name as (typeof FORBIDDEN_ENV)[number])) {
        throw new Error(`${this.node.path}: ${name} is a local-only setting and must not be set in the cloud`);
      }
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
    });

    this.policy = new ManagedPolicy(this, 'Policy', { description: `udi-sentinel function: ${props.description}` });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (udi-sentinel function role)`,
      managedPolicies: [this.policy],
    });
    // Instead of AWSLambdaBasicExecutionRole (logs on every log group): this function's group only.
    this.allow(
      new PolicyStatement({
        sid: 'OwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // Active tracing. X-Ray has no resource-level permissions: `*` is the only possible resource.
    this.allow(
      new PolicyStatement({ sid: 'XRay', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
    );

    this.deadLetterQueue = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: defaults.messagingKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Used as DLQ and as on-failure destination; an SSE-KMS queue needs the key as well.
    this.allowSendTo(this.deadLetterQueue, defaults.messagingKey);

    this.function = new NodejsFunction(this, 'Function', {
      entry: entryPath(props.entry),
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: nodejsBundling(),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: defaults.logLevel,
        [ENV.LOG_LEVEL]: defaults.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    // Lambda validates DLQ and destination permissions at create time: attach the policy first.
    this.function.node.addDependency(this.policy);
  }

  /**
   * Grant narrow access to one table and set its name variable (REFERENCE_TABLE / RECORDS_TABLE).
   * `leadingKeys` confines item access to partition keys matching these patterns
   * (dynamodb:LeadingKeys, e.g. `CURSOR#openfda-udi`, `BULK#openfda-udi#*`).
   */
  bindTable(table: ServiceTable, access: TableAccess, options: { leadingKeys?: readonly string[] } = {}): this {
    const id = table.definition.id;
    if (this.boundTables.has(id)) throw new Error(`${this.node.path}: table ${id} is already bound`);
    this.boundTables.add(id);
    this.function.addEnvironment(TABLE_ENV[id], table.table.tableName);

    const reads = access !== 'write';
    const writes = access !== 'read';
    const actions = [...new Set([...(reads ? READ_ACTIONS : []), ...(writes ? WRITE_ACTIONS : [])])];
    // Only reads touch the indexes; each index is named (no `index/*`).
    const resources = [
      table.table.tableArn,
      ...(reads ? table.definition.indexes.map((index) => `${table.table.tableArn}/index/${index.name}`) : []),
    ];
    const leadingKeys = options.leadingKeys ?? [];
    this.allow(
      new PolicyStatement({
        sid: `${cap(id)}Table${cap(access)}`,
        actions,
        resources,
        ...(leadingKeys.length
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } }
          : {}),
      }),
    );
    this.allow(
      new PolicyStatement({
        sid: `${cap(id)}TableKey${cap(access)}`,
        actions: [...KMS_READ_ACTIONS, ...(writes ? KMS_WRITE_ACTIONS : [])],
        resources: [table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    return this;
  }

  /**
   * Writes confined to items whose partition key matches `leadingKeys` on a table already bound for
   * reading (e.g. the GUDID read-through cache `DI#*`). With `attributes`, only those attributes (plus the
   * key) may be written and nothing is returned — e.g. the authorizer stamping an API key's lastUsedAt
   * without being able to re-activate or re-scope it.
   */
  allowItemWrites(
    table: ServiceTable,
    options: { sid: string; leadingKeys: readonly string[]; actions?: readonly string[]; attributes?: readonly string[] },
  ): this {
    const id = table.definition.id;
    if (!this.boundTables.has(id)) throw new Error(`${this.node.path}: bind table ${id} before allowing item writes`);
    const attributes = options.attributes
      ? {
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [table.definition.partitionKey, table.definition.sortKey, ...options.attributes],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        }
      : {};
    this.allow(
      new PolicyStatement({
        sid: `${cap(id)}Table${options.sid}`,
        actions: [...(options.actions ?? WRITE_ACTIONS)],
        resources: [table.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...options.leadingKeys] }, ...attributes },
      }),
    );
    this.allow(
      new PolicyStatement({
        sid: `${cap(id)}TableKey${options.sid}`,
        actions: KMS_WRITE_ACTIONS,
        resources: [table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    return this;
  }

  /** Add one explicit statement to this function's role (for grants that have no helper here). */
  allow(statement: PolicyStatement): this {
    this.policy.addStatements(statement);
    return this;
  }

  addEnvironment(name: string, value: string): this {
    if (FORBIDDEN_ENV.includes(name as (typeof FORBIDDEN_ENV)[number])) {
      throw new Error(`${this.node.path}: ${name} is a local-only setting and must not be set in the cloud`);
    }
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Asynchronous invocations (EventBridge Scheduler, events): bounded retries and event age, failures
   * recorded in this function's DLQ with the error (on-failure destination record).
   */
  configureAsyncInvoke(options: { retryAttempts: number; maxEventAge: Duration }): void {
    this.function.configureAsyncInvoke({
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
      onFailure: new KmsQueueDestination(this.deadLetterQueue),
    });
  }

  private allowSendTo(queue: Queue, key: IKey): void {
    this.allow(new PolicyStatement({ sid: 'DeadLetterQueue', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.allow(
      new PolicyStatement({
        sid: 'DeadLetterQueueKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}

/**
 * On-failure destination to an SSE-KMS queue whose send permissions the function's policy already
 * holds (SqsDestination would grant `kms:GenerateDataKey*`/`kms:ReEncrypt*` through grantSendMessages).
 */
class KmsQueueDestination implements IDestination {
  constructor(private readonly queue: Queue) {}
  bind(_scope: Construct, _fn: IFunction, _options?: DestinationOptions): DestinationConfig {
    return { destination: this.queue.queueArn };
  }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

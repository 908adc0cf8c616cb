import { Annotations, Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../lib/http/routes.js';
import { rec, ref } from '../../lib/store/keys.js';
import { entryExists } from '../ingest-plan.js';
import type { ServiceTable } from './data-store.js';
import { ServiceFunction, type FunctionDefaults, type TableAccess } from './service-function.js';

/** The API-key authorizer's handler (not written yet; only needed once a route is not public). */
export const AUTHORIZER_ENTRY = 'functions/api/authorizer.ts';

/**
 * API Gateway's authorizer result cache is off, deliberately: a cached answer is keyed on the identity
 * sources only, so an "allow" for a `check` route would be reused for an `admin` route with the same key,
 * and with identity sources configured API Gateway refuses (401) any request lacking one of them — a
 * client sending only `x-api-key` or only `Authorization` would never reach the authorizer. The
 * authorizer keeps its own in-process cache of key records (60 s, lib/auth/authorize.ts), which is what
 * bounds revocation lag, and checks the route's scope on every call.
 */
export const AUTHORIZER_IDENTITY_SOURCES: string[] = [];
/** Zero: see above. Revocation lag is the authorizer's in-process cache, 60 s. */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(0);

/** Access of one function to each table; an absent table is not bound at all (no grant, no name). */
export interface TableGrant {
  reference?: TableAccess;
  records?: TableAccess;
  /**
   * May write the GUDID read-through cache: items of `DI#…` partitions of the reference table only.
   * lib/runtime.ts wires the read-through into every runtime's evidence lookups, which cache AccessGUDID
   * answers (device items, 24 h misses) — all under DI# (lib/sources/openfda/udi.ts, ref.gudidMiss).
   */
  gudidCache?: boolean;
}

/**
 * API functions read the public mirror (writing only the GUDID read-through cache) and read-write
 * organisation records (checks, audit, aliases, keys).
 */
export const DEFAULT_API_ACCESS: TableGrant = { reference: 'read', records: 'readwrite', gudidCache: true };

/** Partition-key pattern of the GUDID read-through cache (lib/store/keys.ts ref.deviceByDi / gudidMiss). */
export const GUDID_CACHE_KEYS = [`${ref.diPartition('')}*`];

export interface ServiceApiProps {
  /** The routes table (lib/http/routes.ts ROUTES, or a synthetic list in tests). */
  routes: readonly RouteDefinition[];
  reference: ServiceTable;
  records: ServiceTable;
  defaults: FunctionDefaults;
  throttle: { rateLimit: number; burstLimit: number };
  reservedConcurrency: number;
  /** When given, non-public routes use this JWT authorizer (scopes = the route's scope) instead of API keys. */
  jwt?: { issuer: string; audience: string };
  /** Override of AUTHORIZER_ENTRY (tests point it at a fixture). */
  authorizerEntry?: string;
  /** Per-function narrowing of DEFAULT_API_ACCESS, by functionName. */
  access?: Readonly<Record<string, TableGrant>>;
}

interface FunctionGroup {
  name: string;
  entry: string;
  /** The longest timeout and the largest memory of the group's routes (one Lambda serves them all). */
  timeoutSeconds: number;
  memoryMb: number;
  routes: RouteDefinition[];
}

/** Routes sharing a functionName share one Lambda; they must share the entry. */
export function groupByFunction(routes: readonly RouteDefinition[]): FunctionGroup[] {
  const groups = new Map<string, FunctionGroup>();
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is defined twice`);
    seen.add(key);
    const group = groups.get(route.functionName);
    if (!group) {
      groups.set(route.functionName, {
        name: route.functionName,
        entry: route.entry,
        timeoutSeconds: route.timeoutSeconds,
        memoryMb: route.memoryMb,
        routes: [route],
      });
      continue;
    }
    if (group.entry !== route.entry) throw new Error(`routes of function ${route.functionName} disagree on the entry file`);
    group.timeoutSeconds = Math.max(group.timeoutSeconds, route.timeoutSeconds);
    group.memoryMb = Math.max(group.memoryMb, route.memoryMb);
    group.routes.push(route);
  }
  return [...groups.values()];
}

/** True when some route needs an authorizer: only then are authorizer resources created. */
export const needsAuthorizer = (routes: readonly RouteDefinition[]): boolean => routes.some((r) => r.auth !== 'public');

/** JSON access log: request metadata only — never headers, bodies or keys. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * API Gateway HTTP API built by iterating the routes table: one Lambda integration per distinct
 * functionName, one route per entry, an authorizer on every non-public route, stage throttling and
 * JSON access logs to a KMS-encrypted log group.
 */
export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly functions = new Map<string, ServiceFunction>();
  readonly routes = new Map<string, HttpRoute>();
  /** Routes deliberately without authorization (acknowledged individually for AwsSolutions-APIG4). */
  readonly publicRoutes: HttpRoute[] = [];
  /**
   * Scoped routes NOT deployed because no authorizer can be built yet (the API-key authorizer handler
   * does not exist and no JWT issuer is configured). Fail closed: such a route answers 404 in the cloud
   * rather than exist unprotected; synth warns, and the test suite lists them.
   */
  readonly withheldRoutes: RouteDefinition[] = [];
  /** The API-key authorizer's function, when one was needed. */
  readonly authorizerFunction?: ServiceFunction;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'udi-sentinel: is this medical device what it claims to be',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.defaults.logRetention,
      encryptionKey: props.defaults.logsKey,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const authorizer = needsAuthorizer(props.routes) ? this.createAuthorizer(props) : undefined;
    if (authorizer?.fn) this.authorizerFunction = authorizer.fn;
    const deployable = props.routes.filter((route) => route.auth === 'public' || authorizer !== undefined);
    this.withheldRoutes.push(...props.routes.filter((route) => !deployable.includes(route)));
    if (this.withheldRoutes.length) {
      Annotations.of(this).addWarningV2(
        'udi-sentinel:routes-withheld',
        `Not deployed until ${props.authorizerEntry ?? AUTHORIZER_ENTRY} exists (or jwtIssuer/jwtAudience are set): ` +
          this.withheldRoutes.map((r) => `${r.method} ${r.path}`).join(', '),
      );
    }

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const group of groupByFunction(deployable)) {
      const fn = new ServiceFunction(this, `${pascal(group.name)}Function`, {
        entry: group.entry,
        description: truncate(`API ${group.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`, 256),
        timeout: Duration.seconds(group.timeoutSeconds),
        memorySize: group.memoryMb,
        reservedConcurrency: props.reservedConcurrency,
        defaults: props.defaults,
      });
      const access = props.access?.[group.name] ?? DEFAULT_API_ACCESS;
      if (access.reference) fn.bindTable(props.reference, access.reference);
      if (access.records) fn.bindTable(props.records, access.records);
      if (access.gudidCache && access.reference === 'read') {
        fn.allowItemWrites(props.reference, { sid: 'GudidCacheWrite', leadingKeys: GUDID_CACHE_KEYS });
      }
      this.functions.set(group.name, fn);
      integrations.set(group.name, new HttpLambdaIntegration(`${pascal(group.name)}Integration`, fn.function));
    }

    for (const route of deployable) {
      const isPublic = route.auth === 'public';
      const httpRoute = new HttpRoute(this, `Route${pascal(route.method.toLowerCase())}${routeId(route.path)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations.get(route.functionName) as HttpLambdaIntegration,
        ...(isPublic || !authorizer
          ? {}
          : { authorizer: authorizer.authorizer, ...(props.jwt ? { authorizationScopes: [route.auth] } : {}) }),
      });
      this.routes.set(`${route.method} ${route.path}`, httpRoute);
      if (isPublic) this.publicRoutes.push(httpRoute);
    }
  }

  /** Every function of the API, the authorizer included. */
  get allFunctions(): ServiceFunction[] {
    return [...this.functions.values(), ...(this.authorizerFunction ? [this.authorizerFunction] : [])];
  }

  private createAuthorizer(props: ServiceApiProps): { authorizer: IHttpRouteAuthorizer; fn?: ServiceFunction } | undefined {
    if (props.jwt) {
      return {
        authorizer: new HttpJwtAuthorizer('JwtAuthorizer', props.jwt.issuer, { jwtAudience: [props.jwt.audience] }),
      };
    }
    const entry = props.authorizerEntry ?? AUTHORIZER_ENTRY;
    if (!entryExists(entry)) return undefined;
    const fn = new ServiceFunction(this, 'AuthorizerFunction', {
      entry,
      description: 'API key authorizer (REQUEST, simple responses)',
      timeout: Duration.seconds(5),
      memorySize: 256,
      reservedConcurrency: props.reservedConcurrency,
      defaults: props.defaults,
    });
    // Reads API key items only (hash lookup by key id), and may stamp their lastUsedAt — nothing else.
    fn.bindTable(props.records, 'read', { leadingKeys: [rec.apiKey('*').pk] });
    fn.allowItemWrites(props.records, {
      sid: 'LastUsedStamp',
      leadingKeys: [rec.apiKey('*').pk],
      actions: ['dynamodb:UpdateItem'],
      attributes: ['lastUsedAt'],
    });
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', fn.function, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
      identitySource: [...AUTHORIZER_IDENTITY_SOURCES],
    });
    return { authorizer, fn };
  }
}

const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const pascal = (s: string): string =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** `/v1/devices/{di}` → `V1DevicesByDi` (construct ids cannot contain `/`). */
const routeId = (path: string): string => pascal(path.replace(/\{([^}]+)\}/g, 'By-$1')) || 'Root';

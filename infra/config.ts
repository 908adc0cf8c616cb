import type { Node } from 'constructs';

/**
 * Deployment parameters, read from CDK context (`cdk.json` defaults, overridden with `--context k=v`).
 * The defaults here equal the ones in cdk.json (a test holds them together), so an App built in a test
 * without cdk.json behaves like `npm run synth`.
 */
export interface InfraSettings {
  /** CloudFormation stack name. */
  stackName: string;
  /**
   * Target region. Fixed at synth (TableV2 with a customer-managed key cannot be region-agnostic);
   * the account stays agnostic, so synth needs no credentials and no network.
   */
  region: string;
  /** Retention of every log group (Lambda, API access logs, Step Functions), in days. */
  logRetentionDays: number;
  /** HTTP API stage default throttling. */
  apiRateLimit: number;
  apiBurstLimit: number;
  /** Reserved concurrency of each API function (and the authorizer). */
  apiReservedConcurrency: number;
  /** Reserved concurrency of each bulk-load partition function (= Distributed Map concurrency). */
  bulkLoadConcurrency: number;
  /** Powertools / application log level in the cloud. */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Optional JWT authorizer (both required): issuer URL and audience. */
  jwtIssuer?: string;
  jwtAudience?: string;
}

export const DEFAULT_SETTINGS: Readonly<Omit<InfraSettings, 'alarmEmail' | 'jwtIssuer' | 'jwtAudience'>> = {
  stackName: 'UdiSentinel',
  region: 'us-east-1',
  logRetentionDays: 365,
  apiRateLimit: 50,
  apiBurstLimit: 100,
  apiReservedConcurrency: 20,
  bulkLoadConcurrency: 4,
  logLevel: 'INFO',
};

/** Values CloudWatch Logs accepts for RetentionInDays. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function str(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new SettingsError(`context ${key} must be a string`);
  return String(raw).trim();
}

function int(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw = str(node, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`context ${key} must be an integer between ${min} and ${max} (got ${raw})`);
  }
  return value;
}

/** Read and validate the settings; a bad value fails synth with a message naming the context key. */
export function readSettings(node: Node): InfraSettings {
  const d = DEFAULT_SETTINGS;
  const logRetentionDays = int(node, 'logRetentionDays', d.logRetentionDays, 1, 3653);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw new SettingsError(`context logRetentionDays must be one of ${RETENTION_DAYS.join(', ')}`);
  }
  const logLevel = (str(node, 'logLevel') ?? d.logLevel).toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(logLevel)) {
    throw new SettingsError('context logLevel must be DEBUG, INFO, WARN or ERROR');
  }
  const stackName = str(node, 'stackName') ?? d.stackName;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,100}$/.test(stackName)) throw new SettingsError('context stackName is not a valid stack name');
  const region = str(node, 'region') ?? d.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new SettingsError('context region must be an AWS region such as us-east-1');
  const alarmEmail = str(node, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new SettingsError('context alarmEmail must be an e-mail address');
  }
  const jwtIssuer = str(node, 'jwtIssuer');
  const jwtAudience = str(node, 'jwtAudience');
  if ((jwtIssuer === undefined) !== (jwtAudience === undefined)) {
    throw new SettingsError('context jwtIssuer and jwtAudience must be given together');
  }
  if (jwtIssuer !== undefined && !/^https:\/\//.test(jwtIssuer)) throw new SettingsError('context jwtIssuer must be an https URL');
  const apiRateLimit = int(node, 'apiRateLimit', d.apiRateLimit, 1, 10_000);
  const apiBurstLimit = int(node, 'apiBurstLimit', d.apiBurstLimit, 1, 5_000);
  return {
    stackName,
    region,
    logRetentionDays,
    apiRateLimit,
    apiBurstLimit,
    apiReservedConcurrency: int(node, 'apiReservedConcurrency', d.apiReservedConcurrency, 1, 1_000),
    bulkLoadConcurrency: int(node, 'bulkLoadConcurrency', d.bulkLoadConcurrency, 1, 100),
    logLevel: logLevel as InfraSettings['logLevel'],
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    ...(jwtIssuer !== undefined && jwtAudience !== undefined ? { jwtIssuer, jwtAudience } : {}),
  };
}

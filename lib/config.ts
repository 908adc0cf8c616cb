import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * The one place that reads environment configuration. Names are the contract between the CDK app (which
 * sets them), the local runtime and every handler; see docs/operations.md.
 */
export const ENV = {
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
  AWS_REGION: 'AWS_REGION',
  REFERENCE_TABLE: 'REFERENCE_TABLE',
  RECORDS_TABLE: 'RECORDS_TABLE',
  OPENFDA_BASE_URL: 'OPENFDA_BASE_URL',
  OPENFDA_API_KEY: 'OPENFDA_API_KEY',
  OPENFDA_API_KEY_SECRET: 'OPENFDA_API_KEY_SECRET',
  ACCESSGUDID_BASE_URL: 'ACCESSGUDID_BASE_URL',
  CISA_CSAF_BASE_URL: 'CISA_CSAF_BASE_URL',
  FDA_SAFETY_RSS_URL: 'FDA_SAFETY_RSS_URL',
  PORT: 'PORT',
  LOG_LEVEL: 'LOG_LEVEL',
} as const;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const tableName = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3–255 of a-z A-Z 0-9 _ . -)');

// Empty strings count as unset: `FOO= npm start` must not turn into a half-configured value.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const configSchema = z.object({
  DYNAMODB_ENDPOINT: optional(httpUrl),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').default('us-east-1'),
  REFERENCE_TABLE: tableName.default('udi-sentinel-reference'),
  RECORDS_TABLE: tableName.default('udi-sentinel-records'),
  OPENFDA_BASE_URL: httpUrl.default('https://api.fda.gov'),
  OPENFDA_API_KEY: optional(z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'must be an api.data.gov key (20–64 letters and digits)')),
  /** In AWS: the Secrets Manager name of the openFDA key (read at run time, cached); OPENFDA_API_KEY wins. */
  OPENFDA_API_KEY_SECRET: optional(z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')),
  ACCESSGUDID_BASE_URL: httpUrl.default('https://accessgudid.nlm.nih.gov'),
  CISA_CSAF_BASE_URL: httpUrl.default('https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white'),
  FDA_SAFETY_RSS_URL: httpUrl.default(
    'https://www.fda.gov/about-fda/contact-fda/stay-informed/rss-feeds/medical-devices-safety-communications/rss.xml',
  ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: optional(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'])),
});

export type Config = z.infer<typeof configSchema>;

/** Parse configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.values(ENV)) picked[name] = env[name];
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`, problems);
  }
  return parsed.data;
}

/** True when pointed at a local DynamoDB (tables are created on demand). */
export const isLocal = (config: Config): boolean => config.DYNAMODB_ENDPOINT !== undefined;

let cached: Config | undefined;
/** Configuration of this process, parsed once (cold start). */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * Fix the process configuration (the local host does this after starting DynamoDB Local, before any
 * handler runs, so in-process handlers see the same endpoint).
 */
export function useConfig(next: Config): void {
  cached = next;
}

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { config } from './config.js';

export const SERVICE = 'udi-sentinel';

/** One logger per process. Log explicit, allow-listed fields only: events carry API keys. */
export const logger = new Logger({ serviceName: SERVICE, logLevel: config().LOG_LEVEL ?? 'INFO' });

/** One metrics emitter per process (EMF to stdout; no API calls). */
export const metrics = new Metrics({ serviceName: SERVICE, namespace: 'UdiSentinel' });

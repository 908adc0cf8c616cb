import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/510k (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('510k');

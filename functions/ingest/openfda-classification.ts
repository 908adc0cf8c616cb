import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/classification (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('classification');

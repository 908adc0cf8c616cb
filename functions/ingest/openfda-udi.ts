import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/udi (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('udi');

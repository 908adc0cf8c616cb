import { pollHandler } from '../../lib/ingest/lambda.js';

/** Scheduled poll of openFDA /device/enforcement (EventBridge Scheduler → Lambda). */
export const handler = pollHandler('enforcement');

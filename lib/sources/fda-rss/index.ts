export * from './rss.js';

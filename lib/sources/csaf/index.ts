export * from './schema.js';
export * from './map.js';
export * from './sha512.js';

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.js';
import { ConfigError } from '../../../lib/errors.js';

describe('configuration', () => {
  it('has working defaults for everything optional', () => {
    const c = loadConfig({});
    expect(c.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.AWS_REGION).toBe('us-east-1');
    expect(c.OPENFDA_BASE_URL).toBe('https://api.fda.gov');
    expect(c.OPENFDA_API_KEY).toBeUndefined();
    expect(c.LOG_LEVEL).toBeUndefined();
  });

  it('reads every contract variable and trims trailing slashes from URLs', () => {
    const c = loadConfig({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      AWS_REGION: 'eu-west-1',
      REFERENCE_TABLE: 'ref',
      RECORDS_TABLE: 'rec',
      OPENFDA_BASE_URL: 'http://127.0.0.1:9000/',
      OPENFDA_API_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD',
      ACCESSGUDID_BASE_URL: 'http://127.0.0.1:9001',
      CISA_CSAF_BASE_URL: 'http://127.0.0.1:9002/csaf_files/OT/white/',
      FDA_SAFETY_RSS_URL: 'http://127.0.0.1:9003/rss.xml',
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
    });
    expect(c).toMatchObject({ PORT: 8080, OPENFDA_BASE_URL: 'http://127.0.0.1:9000', CISA_CSAF_BASE_URL: 'http://127.0.0.1:9002/csaf_files/OT/white' });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DYNAMODB_ENDPOINT: '', OPENFDA_API_KEY: '' }).DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DYNAMODB_ENDPOINT', 'localhost:8000', /DYNAMODB_ENDPOINT/],
    ['AWS_REGION', 'mars', /AWS_REGION: must be an AWS region/],
    ['REFERENCE_TABLE', 'a b', /REFERENCE_TABLE/],
    ['LOG_LEVEL', 'LOUD', /LOG_LEVEL/],
    ['OPENFDA_API_KEY', 'short', /OPENFDA_API_KEY/],
    ['FDA_SAFETY_RSS_URL', 'ftp://x/rss', /FDA_SAFETY_RSS_URL/],
  ])('fails fast naming %s when it is %j', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', AWS_REGION: 'y' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['AWS_REGION', 'PORT']);
    }
  });
});

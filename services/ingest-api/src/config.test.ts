import { ConfigError } from '@triggers/runtime';
import { loadConfig } from './config.js';

const required = {
  DATABASE_URL: 'postgres://127.0.0.1/triggers',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'an-admin-token-of-32-characters!',
};

describe('loadConfig', () => {
  it('gives the HTTP server limits Node accepts by default', () => {
    expect(loadConfig(required).http.limits).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      checkIntervalMs: 1000,
      maxHeaderBytes: 16 * 1024,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it('refuses a headers deadline past the whole request’s, with the other problems', () => {
    const load = () =>
      loadConfig({
        ...required,
        HTTP_HEADERS_TIMEOUT_MS: '20000',
        HTTP_REQUEST_TIMEOUT_MS: '15000',
        PORT: '-1',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /PORT="-1": .*\n.*HTTP_HEADERS_TIMEOUT_MS \(20000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(15000\)/,
    );
  });
});

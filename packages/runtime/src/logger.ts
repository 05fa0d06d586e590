import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths scrubbed from every log line: credentials must never reach log storage. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-admin-token"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  'key',
  'secret',
  'token',
  '*.apiKey',
  '*.secret',
  '*.token',
  '*.password',
];

/** A pino JSON logger on stdout (or `destination`); components take `log.child({ component })`. */
export function createLogger(options: {
  service: string;
  level: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

#!/usr/bin/env -S node --import tsx
import { existsSync, readFileSync } from 'node:fs';
import { runCli } from './cli.js';

// The admin token of a local `make up` is found without being exported.
const localAdminToken = existsSync('.data/admin-token')
  ? readFileSync('.data/admin-token', 'utf8').trim()
  : undefined;

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    url: process.env.TRIGGERS_URL ?? 'http://127.0.0.1:4000',
    adminToken: process.env.ADMIN_TOKEN ?? localAdminToken,
    apiKey: process.env.TRIGGERS_API_KEY,
  },
  { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
);

import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { deleteRedisKeys } from '@triggers/testing';
import type { BenchOptions } from '../options/bench-options.js';
import { createBenchDatabase, type BenchDatabase } from './bench-database.js';
import { benchSql } from './bench-fixtures.js';
import type { CostSettings } from './cost-window.js';
import { startPipeline, type Pipeline } from './pipeline.js';

/** Seconds withPipeline takes to be ready here: a database migrated, three services compiled and started. */
export const PIPELINE_START_SECONDS = 8;

/** What a scenario gets to drive the whole pipeline with. */
export interface PipelineRun {
  pipeline: Pipeline;
  database: BenchDatabase;
  /** The bench's own connections to the bench database (checks, counts). */
  sql: postgres.Sql;
  /** Organization name, also in the event bodies. */
  tag: string;
  /** How `measureCost` reads this pipeline's spending. */
  cost: CostSettings;
}

/**
 * Runs `work` against a fresh bench database, a Redis prefix of its own and every service
 * (`instances` of each) delivering to the counting sink; stops and removes all of it afterwards,
 * also when `work` fails.
 */
export async function withPipeline<T>(
  options: BenchOptions,
  instances: number,
  label: string,
  work: (run: PipelineRun) => Promise<T>,
): Promise<T> {
  const tag = `bench-${randomBytes(4).toString('hex')}-${label}`;
  const redisKeyPrefix = `triggers-${tag}:`;
  const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
  const sql = benchSql(database.url, 2);
  try {
    const pipeline = await startPipeline({
      databaseUrl: database.url,
      redisUrl: options.redisUrl,
      redisKeyPrefix,
      instances,
      tag,
    });
    try {
      return await work({
        pipeline,
        database,
        sql,
        tag,
        cost: {
          serverUrl: options.databaseUrl,
          database: database.name,
          redisUrl: options.redisUrl,
          services: pipeline.services.map((service) => ({ name: service.name, pid: service.child.pid })),
          others: [{ name: 'sink', pid: pipeline.sink.child.pid }],
          deliveries: async () => (await pipeline.sink.stats()).received,
        },
      });
    } finally {
      await pipeline.stop();
    }
  } finally {
    await sql.end();
    await database.drop();
    await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch(() => undefined);
  }
}

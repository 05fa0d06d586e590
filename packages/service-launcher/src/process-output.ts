import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Where a child's stdout and stderr go: its last lines kept in memory (the default), or appended
 * to a log file that outlives it (a detached child needs one: a pipe would tie it to this process).
 */
export type OutputOptions =
  { to: 'memory'; keepLines?: number } | { to: 'file'; path: string; banner?: string };

export interface OutputSink {
  /** The child's stdio entries for stdout and stderr. */
  stdio: ['pipe', 'pipe'] | [number, number];
  /** Call with the child's streams once spawned; closes the file descriptor this process held. */
  attach: (stdout: Readable | null, stderr: Readable | null) => void;
  lines: () => string[];
}

export function openOutput(options: OutputOptions): OutputSink {
  if (options.to === 'file') {
    const fd = openSync(options.path, 'a');
    if (options.banner !== undefined) writeSync(fd, `\n--- ${options.banner} ---\n`);
    return {
      stdio: [fd, fd],
      attach: () => closeSync(fd),
      lines: () => readLines(options.path),
    };
  }
  const keep = options.keepLines ?? 100;
  const kept: string[] = [];
  const collect = (stream: Readable | null) => {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        kept.push(line);
        if (kept.length > keep) kept.shift();
      }
    });
    stream?.on('end', () => {
      if (partial.trim() !== '') kept.push(partial);
    });
  };
  return {
    stdio: ['pipe', 'pipe'],
    attach: (stdout, stderr) => {
      collect(stdout);
      collect(stderr);
    },
    lines: () => [...kept],
  };
}

function readLines(file: string, last = 200): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-last);
  } catch {
    return [];
  }
}

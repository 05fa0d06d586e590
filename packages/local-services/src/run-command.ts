import { execFile } from 'node:child_process';

export interface RunAs {
  uid: number;
  gid: number;
}

/** Runs a program to completion; the error carries its output, which is what explains a failure. */
export function runCommand(file: string, args: string[], runAs?: RunAs): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...runAs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const output = `${stdout}${stderr}`.trim();
        reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}${output ? `\n${output}` : ''}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

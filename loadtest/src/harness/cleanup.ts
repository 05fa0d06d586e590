// What to undo if the benchmark is interrupted (Ctrl-C, SIGTERM): servers it started, databases
// it created. Each step deregisters itself once it has been done the normal way.
const steps: { name: string; undo: () => Promise<void> }[] = [];

/** Registers `undo`; call the returned function once it is no longer needed. */
export function addCleanup(name: string, undo: () => Promise<void>): () => void {
  const step = { name, undo };
  steps.push(step);
  return () => {
    const index = steps.indexOf(step);
    if (index !== -1) steps.splice(index, 1);
  };
}

/** Runs every pending step, newest first (stop the server before dropping its database). */
export async function runPendingCleanups(log: (message: string) => void): Promise<void> {
  while (steps.length > 0) {
    const step = steps.pop()!;
    try {
      await step.undo();
    } catch (error) {
      log(`cleanup "${step.name}" failed: ${(error as Error).message}`);
    }
  }
}

import { readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { paths } from './repo.js';

export interface Step {
  keyword: string;
  /** Arguments as written (shell words; flags not included). */
  args: string[];
  /** For CMD, ENTRYPOINT, RUN...: the exec-form array, or undefined when written in shell form. */
  exec: string[] | undefined;
  flags: Record<string, string | null>;
  text: string;
}

export interface Stage {
  name: string;
  base: string;
  steps: Step[];
}

export function dockerfileText(): string {
  return readFileSync(paths.dockerfile, 'utf8');
}

/** The Dockerfile's stages, in order, each with its instructions. */
export function loadStages(text = dockerfileText()): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') {
      stages.push({ name: args[2] ?? `stage-${stages.length}`, base: args[0]!, steps: [] });
      continue;
    }
    stages.at(-1)?.steps.push({
      keyword,
      args,
      exec: execForm(instruction),
      flags: flagsOf(instruction),
      text: instruction.getTextContent(),
    });
  }
  return stages;
}

function execForm(instruction: Instruction): string[] | undefined {
  const json = instruction as Partial<JSONInstruction>;
  if (typeof json.getJSONStrings !== 'function') return undefined;
  const strings = json.getJSONStrings();
  return strings.length > 0 ? strings.map((s) => s.getJSONValue()) : undefined;
}

function flagsOf(instruction: Instruction): Record<string, string | null> {
  const withFlags = instruction as unknown as {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  return Object.fromEntries((withFlags.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue()]));
}

/** A target and the stages it is built on, the target first. */
export function stageChain(stages: Stage[], target: string): Stage[] {
  const chain: Stage[] = [];
  for (
    let stage = stages.find((s) => s.name === target);
    stage;
    stage = stages.find((s) => s.name === stage!.base)
  ) {
    chain.push(stage);
  }
  return chain;
}

/** The instruction that is in force for a target (the last one of its chain, the target's own first). */
export function effectiveStep(stages: Stage[], target: string, keyword: string): Step | undefined {
  for (const stage of stageChain(stages, target)) {
    const found = stage.steps.filter((s) => s.keyword === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
}

/** The bundle a target copies from the build stage (`/out/<name>`, made by `pnpm deploy`). */
export function copiedBundle(stages: Stage[], target: string): string | undefined {
  return stageChain(stages, target)
    .flatMap((s) => s.steps)
    .find((s) => s.keyword === 'COPY' && s.flags.from === 'build')?.args[0];
}

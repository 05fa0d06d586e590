import type { Better, Check, Measurement, Reference, ScenarioOutcome } from '../scenarios/scenario.js';

/** The median and range of one figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** What one scenario did in one run. */
export interface ScenarioRun {
  scenario: string;
  /** The scenario's section heading; a measurement may name its own. */
  section?: string;
  run: number;
  seconds: number;
  /** Present when the scenario threw; then there is no outcome. */
  error?: string;
  outcome?: ScenarioOutcome;
}

export interface RatioSummary {
  ceilingId: string;
  ceilingSubject: string;
  /** ours / ceiling, computed within each run (both measured minutes apart) and then summarized. */
  ratio: Spread;
}

export interface SummaryRow {
  id: string;
  scenario: string;
  /** Heading the row is printed under. */
  section: string;
  subject: string;
  figure: string;
  unit: Measurement['unit'];
  better: Better;
  spread: Spread;
  ratios: RatioSummary[];
  reference?: Reference;
}

/** Median (mean of the middle two for an even count), min and max; NaN values are left out. */
export function spreadOf(values: number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, values };
  const middle = Math.floor(finite.length / 2);
  const median = finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
  return { median, min: finite[0]!, max: finite[finite.length - 1]!, values };
}

/** One row per measurement id, in the order first seen, with ratios to the ceilings it names. */
export function summarize(runs: ScenarioRun[]): SummaryRow[] {
  const byRun = new Map<number, Map<string, Measurement>>();
  const order = new Map<string, { scenario: string; section: string; measurement: Measurement }>();
  for (const { run, scenario, section, outcome } of runs) {
    for (const measurement of outcome?.measurements ?? []) {
      if (!byRun.has(run)) byRun.set(run, new Map());
      byRun.get(run)!.set(measurement.id, measurement);
      if (!order.has(measurement.id)) {
        order.set(measurement.id, {
          scenario,
          section: measurement.section ?? section ?? scenario,
          measurement,
        });
      }
    }
  }
  const runMaps = [...byRun.values()];
  return [...order.entries()].map(([id, { scenario, section, measurement }]) => {
    const values = runMaps.map((measurements) => measurements.get(id)?.value ?? NaN);
    const ratios = (measurement.ceilings ?? []).flatMap((ceilingId): RatioSummary[] => {
      const ceiling = order.get(ceilingId)?.measurement;
      if (ceiling === undefined) return [];
      const perRun = runMaps.map((measurements) => {
        const ours = measurements.get(id)?.value ?? NaN;
        const theirs = measurements.get(ceilingId)?.value ?? NaN;
        return theirs > 0 ? ours / theirs : NaN;
      });
      return [{ ceilingId, ceilingSubject: ceiling.subject, ratio: spreadOf(perRun) }];
    });
    return {
      id,
      scenario,
      section,
      subject: measurement.subject,
      figure: measurement.figure,
      unit: measurement.unit,
      better: measurement.better,
      spread: spreadOf(values),
      ratios,
      ...(measurement.reference ? { reference: measurement.reference } : {}),
    };
  });
}

/** Every check of every run, plus one error check per scenario that threw. */
export function collectChecks(runs: ScenarioRun[]): (Check & { run: number; scenario: string })[] {
  return runs.flatMap(({ run, scenario, error, outcome }) => [
    ...(error === undefined
      ? []
      : [
          {
            run,
            scenario,
            name: `${scenario} completed`,
            ok: false,
            severity: 'error' as const,
            detail: error,
          },
        ]),
    ...(outcome?.checks ?? []).map((check) => ({ ...check, run, scenario })),
  ]);
}

import type { SummaryRow } from './aggregate.js';
import { formatAgainstReference, formatNumber, formatRatio } from './format.js';
import { renderChecks, renderHeadline } from './table.js';

const spread = (median: number) => ({ median, min: median, max: median, values: [median] });

describe('formatting', () => {
  it('prints rates as integers, milliseconds and costs per event with about three digits', () => {
    expect(formatNumber(2913.4, 'req/s')).toBe('2,913');
    expect(formatNumber(3.456, 'ms')).toBe('3.46');
    expect(formatNumber(45.67, 'ms')).toBe('45.7');
    expect(formatNumber(NaN, 'ms')).toBe('–');
    expect(formatNumber(0.0412, 'commits/event')).toBe('0.041');
    expect(formatNumber(14.26, 'commands/delivery')).toBe('14.3');
    expect(formatNumber(2.345, 'CPU ms/event')).toBe('2.35');
    expect(formatNumber(12.34, '%')).toBe('12.3');
  });

  it('words ratios by direction', () => {
    expect(formatRatio(0.812, 'higher')).toBe('81%');
    expect(formatRatio(3.14, 'lower')).toBe('3.1×');
  });

  it('says which way ours differs from the reference and whether that is worse', () => {
    expect(formatAgainstReference(2900, 150, 'higher')).toBe('ours 19× higher');
    expect(formatAgainstReference(2.3, 9.2, 'lower')).toBe('ours 4.0× lower');
    expect(formatAgainstReference(18.4, 9.2, 'lower')).toBe('ours 2.0× higher (worse)');
  });
});

describe('renderHeadline', () => {
  it('reads the figure against its ceilings and the seed design', () => {
    const row: SummaryRow = {
      id: 'ingest.max-rate',
      scenario: 'ingest',
      section: 'Ingest',
      subject: 'ingest API',
      figure: 'max rate',
      unit: 'req/s',
      better: 'higher',
      spread: spread(2900),
      ratios: [
        { ceilingId: 'bare-express.max-rate', ceilingSubject: 'bare express 5', ratio: spread(0.81) },
        { ceilingId: 'bare-http.max-rate', ceilingSubject: 'bare node:http', ratio: spread(0.22) },
      ],
      reference: { value: 150, text: '~150 req/s' },
    };
    expect(renderHeadline([row])).toBe(
      'Headline\n  ingest API max rate: 2,900 req/s = 81% of bare express 5, 22% of bare node:http; ' +
        'seed design ~150 req/s (ours 19× higher)',
    );
  });
});

describe('renderChecks', () => {
  it('shows details of failures, and of error checks even when they pass', () => {
    const text = renderChecks([
      { run: 1, name: 'rows', ok: true, severity: 'error', detail: '0 missing of 10' },
      { run: 1, name: 'schedule', ok: true, severity: 'warn', detail: 'lag 1 ms' },
      { run: 2, name: 'schedule', ok: false, severity: 'warn', detail: 'lag 9 ms' },
    ]);
    expect(text).toBe(
      [
        'Checks',
        '  ok   rows',
        '         run 1: 0 missing of 10',
        '  warn schedule',
        '         run 2: lag 9 ms',
      ].join('\n'),
    );
  });
});

/**
 * `npm run cost`'s reading of its inputs: the cold starts bench.coldStarts measured, the PipelineStack's
 * alarms and polled queues, and the section it replaces in bench/results.md.
 */
import { describe, expect, it } from 'vitest';
import { COST_HEADING, countTemplate, initMsByFunction, withCostSection } from '../../../bench/cost.js';

describe('INIT time per function', () => {
  it('takes the deployed variant measured, and the median of the measured for a function not measured', () => {
    // Prepare
    const coldStarts = [
      { name: 'order-sms', deployed: false, loadMs: 300 },
      { name: 'order-sms', deployed: true, loadMs: 90 },
      { name: 'order-index', deployed: true, loadMs: 60 },
      { name: 'overflow-router', deployed: true, loadMs: 20 },
    ];
    // Act
    const init = initMsByFunction(coldStarts, ['order-sms', 'order-index', 'fact-recorder']);
    // Assess
    expect(init['order-sms']?.ms).toBe(90);
    expect(init['order-index']?.ms).toBe(60);
    expect(init['fact-recorder']).toEqual({
      ms: 60,
      from: 'not in bench.coldStarts: the median load time of the functions it measured',
    });
  });

  it('says so when nothing was measured', () => {
    // Prepare / Act
    const init = initMsByFunction([], ['order-sms']);
    // Assess
    expect(init['order-sms']?.from).toContain('bench.coldStarts is missing');
  });
});

describe('the PipelineStack counted from its template', () => {
  it('bills an alarm on metric math per metric, and polls queues but not streams', () => {
    // Prepare
    const template = {
      Resources: {
        Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors' } },
        Math: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { Metrics: [{ Expression: 'a + b' }, { MetricStat: {} }, { MetricStat: {} }] },
        },
        Pager: { Type: 'AWS::CloudWatch::CompositeAlarm' },
        Board: { Type: 'AWS::CloudWatch::Dashboard' },
        Queue: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { BatchSize: 10 } },
        Stream: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { StartingPosition: 'LATEST' } },
      },
    };
    // Act
    const counted = countTemplate(template);
    // Assess
    expect(counted).toEqual({ standardAlarmMetrics: 3, compositeAlarms: 1, dashboards: 1, polledQueues: 1 });
  });
});

describe('the section in bench/results.md', () => {
  it('replaces its own section in place and leaves the others', () => {
    // Prepare
    const md = `# Benchmark results\n\n## Cold starts\n\nA\n\n${COST_HEADING}\n\nold figures\n\n## SMS path\n\nB\n`;
    // Act
    const updated = withCostSection(md, [COST_HEADING, '', 'new figures', '']);
    // Assess
    expect(updated).toBe(
      `# Benchmark results\n\n## Cold starts\n\nA\n\n${COST_HEADING}\n\nnew figures\n\n## SMS path\n\nB\n`,
    );
  });

  it('adds it at the end when there is none yet', () => {
    // Prepare / Act
    const updated = withCostSection('# Benchmark results\n\n## Cold starts\n\nA\n', [
      COST_HEADING,
      '',
      'figures',
      '',
    ]);
    // Assess
    expect(updated.endsWith(`A\n\n${COST_HEADING}\n\nfigures\n`)).toBe(true);
  });
});

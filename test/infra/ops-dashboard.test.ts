/**
 * The stage's CloudWatch dashboard as CloudFormation gets it: its body is a JSON document joined with the
 * stack's references (queue names, function names, the Connect instance id), parsed here with each
 * reference put back as a readable placeholder, then checked widget by widget for the metrics it draws.
 */
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchNameError, checkCloudWatchName } from '#infra/constructs/connect/cloudwatch-names.js';
import { ConnectQueues } from '#infra/constructs/connect/queues.js';
import { newApp } from '#test/support/synth.js';
import type { SynthesizedDeployment } from '#test/support/synth.js';
import { synthUnbundled } from '#test/support/synth-unbundled.js';

/** A metric line of a widget: [namespace, name, dim, value, ..., { options }] or [{ expression }]. */
type MetricLine = (string | Record<string, unknown>)[];
interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: MetricLine[];
    readonly alarms?: string[];
    readonly annotations?: { horizontal?: { value: number; label: string }[] };
    readonly yAxis?: { left?: { min?: number; max?: number } };
  };
}

/** A CloudFormation reference inside the body, as a string the JSON can hold. */
const placeholder = (part: unknown): string => {
  const token = part as Record<string, unknown>;
  if ('Ref' in token) return `REF(${String(token.Ref)})`;
  if ('Fn::GetAtt' in token) return `ATT(${(token['Fn::GetAtt'] as string[]).join('.')})`;
  if ('Fn::ImportValue' in token) return 'IMPORT';
  if ('Fn::Select' in token) return 'SELECT';
  return 'TOKEN';
};

let synth: SynthesizedDeployment;
let widgets: Widget[];

beforeAll(() => {
  synth = synthUnbundled({ overflow: { requestUrl: 'https://sklep.example.pl/kontakt' } });
  const dashboards = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const properties = dashboards[0]?.Properties as { DashboardName: string; DashboardBody: unknown };
  expect(properties.DashboardName).toBe('peakline-test');
  const body = Stack.of(synth.deployment.pipeline).resolve(properties.DashboardBody) as
    string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : placeholder(part))).join('');
  widgets = (JSON.parse(text) as { widgets: Widget[] }).widgets;
});

const widget = (title: RegExp): Widget => {
  const found = widgets.filter((w) => title.test(w.properties.title ?? ''));
  expect(found.map((w) => w.properties.title)).toHaveLength(1);
  return found[0] as Widget;
};

/** A metric line's namespace, name and dimensions as a map (expressions have none). */
const parse = (line: MetricLine) => {
  const strings = line.filter((p): p is string => typeof p === 'string');
  const [namespace, name, ...rest] = strings;
  const dimensions: Record<string, string> = {};
  for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1] as string;
  const options = (line.find((p) => typeof p === 'object') ?? {}) as Record<string, unknown>;
  return { namespace, name, dimensions, options };
};

/** The plain metrics of a widget (not the expressions), each parsed. */
const metricsOf = (w: Widget) =>
  (w.properties.metrics ?? []).map(parse).filter((m) => m.options.expression === undefined);

describe('the dashboard peakline-<stage>', () => {
  it('shows the pager’s composite alarm first, with the alarms that feed it', () => {
    // Act
    const status = widgets[0];

    // Assess
    expect(status?.type).toBe('alarm');
    expect(status?.properties.alarms?.[0]).toContain('OpsPeakDegradedAlarm');
    expect(status?.properties.alarms?.length).toBeGreaterThanOrEqual(8);
  });

  it.each([
    [/QueueSize/, 'QueueSize'],
    [/LongestQueueWaitTime/, 'LongestQueueWaitTime'],
  ])('draws Connect’s %s per queue, by its QueueName', (title, metric) => {
    // Act
    const lines = metricsOf(widget(title));

    // Assess
    expect(lines.map((l) => [l.namespace, l.name])).toEqual(Array(4).fill(['AWS/Connect', metric]));
    expect(lines.map((l) => l.dimensions.QueueName).sort()).toEqual([
      'test-accounting',
      'test-callback',
      'test-primary',
      'test-second-line',
    ]);
    for (const line of lines) {
      expect(line.dimensions.MetricGroup).toBe('Queue');
      expect(line.dimensions.InstanceId).toBeDefined();
      expect(line.options.stat).toBe('Maximum');
    }
  });

  it('draws the instance’s concurrent calls against the 0.8 alarm, throttled and missed calls', () => {
    // Act
    const concurrent = widget(/Concurrent calls/);
    const refused = widget(/ThrottledCalls/);

    // Assess
    expect(metricsOf(concurrent).map((l) => [l.name, l.dimensions.MetricGroup])).toEqual([
      ['ConcurrentCallsPercentage', 'VoiceCalls'],
    ]);
    expect(concurrent.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([0.8]);
    expect(metricsOf(refused).map((l) => [l.name, l.dimensions.MetricGroup, l.options.stat])).toEqual([
      ['ThrottledCalls', 'VoiceCalls', 'Sum'],
      ['MissedCalls', 'VoiceCalls', 'Sum'],
    ]);
  });

  it('draws ContactFlowErrors and ContactFlowFatalErrors for each of peakline’s flows', () => {
    // Act
    const lines = metricsOf(widget(/Contact flow errors/));

    // Assess
    expect(lines).toHaveLength(6);
    for (const flow of ['test-inbound', 'test-customer-queue', 'test-task-routing']) {
      expect(
        lines
          .filter((l) => l.dimensions.ContactFlowName === flow)
          .map((l) => l.name)
          .sort(),
      ).toEqual(['ContactFlowErrors', 'ContactFlowFatalErrors']);
    }
  });

  it('draws the controller’s RoutingState per watched queue, by queue key, against OVERFLOW and DEFLECT', () => {
    // Act
    const w = widget(/Routing state/);
    const lines = metricsOf(w);

    // Assess
    expect(lines.map((l) => [l.namespace, l.name, l.dimensions.queue, l.options.stat])).toEqual([
      ['peakline', 'RoutingState', 'primary', 'Maximum'],
      ['peakline', 'RoutingState', 'callback', 'Maximum'],
    ]);
    for (const line of lines) {
      expect(line.dimensions).toMatchObject({ service: 'peakline-overflow-controller', stage: 'test' });
    }
    expect(w.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([1, 2]);
  });

  it('draws the waits the controller judges on: the primary’s expected wait, each queue’s oldest contact', () => {
    // Act
    const lines = metricsOf(widget(/Waits the controller judges on/));

    // Assess
    expect(lines.map((l) => [l.name, l.dimensions.queue])).toEqual([
      ['ExpectedWaitSeconds', 'primary'],
      ['OldestContactAgeSeconds', 'primary'],
      ['OldestContactAgeSeconds', 'callback'],
    ]);
  });

  it('draws the monthly reports written and the seats in the daily digest', () => {
    // Act
    const lines = metricsOf(widget(/Reports written/));

    // Assess
    expect(lines.map((l) => [l.name, l.dimensions.service, l.options.period])).toEqual([
      ['ReportsWritten', 'peakline-monthly-report', 86400],
      ['SeatsEndingTomorrow', 'peakline-seat-digest', 86400],
    ]);
  });

  it('draws the facts recorded and the public status document’s writes', () => {
    // Act
    const facts = metricsOf(widget(/Facts recorded/));
    const status = metricsOf(widget(/Public status document/));

    // Assess
    expect(facts.map((l) => [l.name, l.dimensions.service])).toEqual([
      ['FactsRecorded', 'peakline-fact-recorder'],
      ['FactsDuplicate', 'peakline-fact-recorder'],
    ]);
    expect(status.map((l) => [l.name, l.dimensions.service])).toEqual([
      ['PublicStatusWrites', 'peakline-overflow-controller'],
      ['PublicStatusWriteFailures', 'peakline-overflow-controller'],
    ]);
  });

  it('draws SMS sent, deferred and parts summed over every function that sends', () => {
    // Act
    const w = widget(/SMS sent/);
    const expressions = (w.properties.metrics ?? []).map(parse).filter((l) => l.options.expression);

    // Assess
    expect(expressions.map((e) => e.options.label)).toEqual(['SmsSent', 'SmsDeferred', 'SmsParts']);
    const summed = metricsOf(w);
    for (const metric of ['SmsSent', 'SmsDeferred', 'SmsParts']) {
      expect(
        summed
          .filter((l) => l.name === metric)
          .map((l) => l.dimensions.service)
          .sort(),
      ).toEqual(['peakline-deflection-sms-sender', 'peakline-order-sms', 'peakline-sms-release']);
    }
    for (const line of summed) expect(line.dimensions.stage).toBe('test');
  });

  it('draws the order status: callers told, contained (told minus those queued after), tracking links sent', () => {
    // Act
    const w = widget(/Order status before the queue/);
    const lines = (w.properties.metrics ?? []).map(parse);

    // Assess
    expect(
      lines.filter((l) => l.options.expression).map((l) => [l.options.label, l.options.expression]),
    ).toEqual([
      ['Told', 'FILL(told, 0)'],
      ['Contained (told, never queued)', 'FILL(told, 0) - FILL(thenQueue, 0)'],
    ]);
    expect(
      metricsOf(w).map((l) => [
        l.name,
        l.dimensions.service,
        l.options.id ?? l.options.label,
        l.options.stat,
      ]),
    ).toEqual([
      ['OrderStatusTold', 'peakline-order-status', 'told', 'Sum'],
      ['OrderStatusThenQueue', 'peakline-overflow-router', 'thenQueue', 'Sum'],
      ['TrackingSmsSent', 'peakline-deflection-sms-sender', 'Tracking links sent', 'Sum'],
    ]);
    for (const line of metricsOf(w)) expect(line.dimensions.stage).toBe('test');
  });

  it('draws SmsSuppressed by reason, whatever reasons appear, for this stage only', () => {
    // Act
    const [line] = (widget(/suppressed, by reason/).properties.metrics ?? []).map(parse);

    // Assess
    expect(line?.options.expression).toBe(
      `SEARCH('{peakline,reason,service,stage} MetricName="SmsSuppressed" stage="test"', 'Sum', 300)`,
    );
  });

  it('draws the SMS spend against 80%, 95% and 100% of the monthly limit', () => {
    // Act
    const w = widget(/SMS spend/);

    // Assess
    expect(metricsOf(w).map((l) => [l.namespace, l.name, l.options.stat])).toEqual([
      ['AWS/SNS', 'SMSMonthToDateSpentUSD', 'Maximum'],
    ]);
    expect(w.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([80, 95, 100]);
  });

  it('draws callbacks scheduled, created and cancelled, and the backlog’s age', () => {
    // Act
    const counts = metricsOf(widget(/Callbacks scheduled/));
    const backlog = metricsOf(widget(/Callback backlog/));

    // Assess
    expect(counts.map((l) => [l.name, l.dimensions.service])).toEqual([
      ['CallbackScheduled', 'peakline-cart-callbacks'],
      ['CallbackCreated', 'peakline-callback-sweeper'],
      ['CallbackCancelled', 'peakline-cart-callbacks'],
      ['CallbacksReplacedBySms', 'peakline-callback-sweeper'],
    ]);
    expect(backlog.map((l) => [l.name, l.options.stat])).toEqual([['CallbackBacklogAgeSeconds', 'Maximum']]);
  });

  it('draws seats active and revoked', () => {
    // Act
    const lines = metricsOf(widget(/Seats active/));

    // Assess
    expect(lines.map((l) => [l.name, l.dimensions.service, l.options.stat])).toEqual([
      ['SeatsActive', 'peakline-seat-sweeper', 'Maximum'],
      ['SeatsRevoked', 'peakline-seat-sweeper', 'Sum'],
      ['SeatsRevoked', 'peakline-seat-ttl-backstop', 'Sum'],
    ]);
  });

  it('draws every buffer’s depth and the age of its oldest message', () => {
    // Act
    const depth = metricsOf(widget(/Buffers: messages waiting/));
    const age = metricsOf(widget(/Buffers: age/));

    // Assess
    expect(depth.map((l) => l.options.label)).toEqual([
      'opt-outs',
      'order SMS',
      'caller SMS',
      'order index',
      'facts',
      'cart callbacks',
      'payment issues',
    ]);
    expect(new Set(depth.map((l) => l.name))).toEqual(new Set(['ApproximateNumberOfMessagesVisible']));
    expect(age.map((l) => l.options.label)).toEqual(depth.map((l) => l.options.label));
    expect(new Set(age.map((l) => l.name))).toEqual(new Set(['ApproximateAgeOfOldestMessage']));
  });

  it('draws every dead-letter queue the alarms watch', () => {
    // Prepare
    const alarmed = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );

    // Act
    const lines = metricsOf(widget(/Dead letters/));

    // Assess
    expect(lines).toHaveLength(alarmed.length);
    expect(new Set(lines.map((l) => `${l.namespace} ${l.name}`))).toEqual(
      new Set(['AWS/SQS ApproximateNumberOfMessagesVisible']),
    );
  });

  it('draws errors and throttles for every peakline function', () => {
    // Prepare
    const functions = Object.values(synth.pipeline.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME ?? '').startsWith('peakline-'),
    );

    // Act
    const errors = metricsOf(widget(/Function errors/));
    const throttles = metricsOf(widget(/Function throttles/));

    // Assess
    expect(errors).toHaveLength(functions.length);
    expect(throttles).toHaveLength(functions.length);
    expect(new Set(errors.map((l) => l.name))).toEqual(new Set(['Errors']));
    expect(new Set(throttles.map((l) => l.name))).toEqual(new Set(['Throttles']));
  });
});

describe('queue and flow names CloudWatch can file Connect’s metrics under', () => {
  it('refuses at synth a queue whose name has a Polish letter, and says which', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Names');

    // Act
    const build = () =>
      new ConnectQueues(stack, 'Queues', {
        instanceArn: 'arn:aws:connect:eu-central-1:123456789012:instance/abc',
        hoursOfOperationArn: 'arn:aws:connect:eu-central-1:123456789012:instance/abc/operating-hours/h',
        namePrefix: 'obsługa',
      });

    // Assess
    let refused: unknown;
    try {
      build();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(CloudWatchNameError);
    expect(String(refused)).toMatch(/queue "obsługa-primary": "ł" \(U\+0142\)/);
  });

  it.each(['prod-primary', 'Sklep Peak: kasa #2', 'a.b,c-d_e/f#g:h$i@j|k&l{m}n+o?p%q'])(
    'accepts %j',
    (name) => {
      expect(checkCloudWatchName('queue', name)).toBe(name);
    },
  );

  it.each(['kolejka-żółta', 'tab\there', 'emoji-📞', 'quote"d', ''])('refuses %j', (name) => {
    expect(() => checkCloudWatchName('contact flow', name)).toThrow(CloudWatchNameError);
  });
});

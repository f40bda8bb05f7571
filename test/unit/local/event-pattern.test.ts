import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rules, type EventPattern } from '#events/rules.js';
import { matchesEventPattern, validateEventPattern } from '#local/bus/event-pattern.js';
import documented from '#test/fixtures/event-patterns/documented-events.json' with { type: 'json' };

type Case = readonly [name: string, pattern: EventPattern, event: unknown, expected: boolean];

/** Every pattern used below, so that one test can check they all validate. */
const allPatterns: EventPattern[] = [];
const cases = (rows: readonly Case[]): readonly Case[] => {
  for (const [, pattern] of rows) allPatterns.push(pattern);
  return rows;
};

const expectMatch = (pattern: EventPattern, event: unknown, expected: boolean): void => {
  // Act
  const matched = matchesEventPattern(pattern, event);

  // Assess
  expect(matched).toBe(expected);
};

const withDetail = (detail: Record<string, unknown>): Record<string, unknown> => ({
  source: 'shop',
  'detail-type': 'OrderPlaced',
  detail,
});

// Amazon EventBridge event patterns:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
const EC2_TERMINATION: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};
const eventPatternsPage = cases([
  ['EC2 termination pattern, the documented event', EC2_TERMINATION, documented.ec2InstanceTerminated, true],
  [
    'EC2 termination pattern, a running instance',
    EC2_TERMINATION,
    { ...documented.ec2InstanceTerminated, detail: { state: 'running' } },
    false,
  ],
  [
    'EC2 termination pattern, state at the top level instead of under detail',
    EC2_TERMINATION,
    { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', state: 'terminated' },
    false,
  ],
  [
    'source is aws.ec2 or aws.fargate: aws.ec2',
    { source: ['aws.ec2', 'aws.fargate'] },
    { source: 'aws.ec2' },
    true,
  ],
  [
    'source is aws.ec2 or aws.fargate: aws.fargate',
    { source: ['aws.ec2', 'aws.fargate'] },
    { source: 'aws.fargate' },
    true,
  ],
  [
    'source is aws.ec2 or aws.fargate: aws.s3',
    { source: ['aws.ec2', 'aws.fargate'] },
    { source: 'aws.s3' },
    false,
  ],
  [
    'field matching on responseElements: null',
    {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    documented.autoScalingLaunchSuccessful,
    true,
  ],
  [
    'value matching: risk score 80 and trigger risk 8',
    {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    },
    documented.macieAlert,
    true,
  ],
  [
    'value matching: a trigger risk of 9 does not match',
    { source: ['aws.macie'], detail: { trigger: { risk: [9] } } },
    documented.macieAlert,
    false,
  ],
  [
    'strings match exactly, without case folding',
    { source: ['AWS.EC2'] },
    documented.ec2InstanceTerminated,
    false,
  ],
  [
    'every field named in the pattern must be in the event',
    { source: ['aws.ec2'], detail: { 'instance-type': ['t3.micro'] } },
    documented.ec2InstanceTerminated,
    false,
  ],
]);

// Matching null values and empty strings in Amazon EventBridge event patterns:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
const nullValuesPage = cases([
  [
    'eventVersion is an empty string',
    { detail: { eventVersion: [''] } },
    documented.autoScalingLaunchSuccessful,
    true,
  ],
  [
    'responseElements is null',
    { detail: { responseElements: [null] } },
    documented.autoScalingLaunchSuccessful,
    true,
  ],
  [
    'a pattern for the empty string does not match null',
    { detail: { responseElements: [''] } },
    documented.autoScalingLaunchSuccessful,
    false,
  ],
  [
    'a pattern for null does not match the empty string',
    { detail: { eventVersion: [null] } },
    documented.autoScalingLaunchSuccessful,
    false,
  ],
  [
    'null does not match a missing field',
    { detail: { missing: [null] } },
    documented.autoScalingLaunchSuccessful,
    false,
  ],
]);

// Arrays in Amazon EventBridge event patterns:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
const RESOURCES: EventPattern = {
  resources: [
    'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
  ],
};
const arraysPage = cases([
  [
    'the first pattern value matches the second event value',
    RESOURCES,
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
  [
    'no value in common',
    RESOURCES,
    { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] },
    false,
  ],
  ['an empty array in the event has no value', RESOURCES, { resources: [] }, false],
]);

// Comparison operators for use in event patterns (was: Content filtering in Amazon EventBridge event patterns):
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
const TIME_PREFIX: EventPattern = { time: [{ prefix: '2017-10-02' }] };
const SERVICE_PREFIX_IGNORING_CASE: EventPattern = {
  detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
};
const PNG_SUFFIX: EventPattern = { FileName: [{ suffix: '.png' }] };
const PNG_SUFFIX_IGNORING_CASE: EventPattern = {
  detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
};
const NAME_IGNORING_CASE: EventPattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
const prefixSuffixAndCase = cases([
  ['prefix: time on 2017-10-02', TIME_PREFIX, { time: '2017-10-02T18:43:48Z' }, true],
  ['prefix: time on 2017-10-03', TIME_PREFIX, { time: '2017-10-03T18:43:48Z' }, false],
  ['prefix: only strings have a prefix', { code: [{ prefix: '12' }] }, { code: 123 }, false],
  [
    'prefix: Auto Scaling events from European regions',
    { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] },
    { source: 'aws.autoscaling', region: 'eu-west-1' },
    true,
  ],
  [
    'prefix ignoring case: EventBridge',
    SERVICE_PREFIX_IGNORING_CASE,
    withDetail({ service: 'EventBridge' }),
    true,
  ],
  [
    'prefix ignoring case: EVENTBRIDGE',
    SERVICE_PREFIX_IGNORING_CASE,
    withDetail({ service: 'EVENTBRIDGE' }),
    true,
  ],
  ['prefix ignoring case: eventbus', SERVICE_PREFIX_IGNORING_CASE, withDetail({ service: 'eventbus' }), true],
  ['prefix ignoring case: SNS', SERVICE_PREFIX_IGNORING_CASE, withDetail({ service: 'SNS' }), false],
  ['suffix: photo.png', PNG_SUFFIX, { FileName: 'photo.png' }, true],
  ['suffix: photo.PNG is case-sensitive', PNG_SUFFIX, { FileName: 'photo.PNG' }, false],
  ['suffix: photo.jpg', PNG_SUFFIX, { FileName: 'photo.jpg' }, false],
  ['suffix ignoring case: photo.PNG', PNG_SUFFIX_IGNORING_CASE, withDetail({ FileName: 'photo.PNG' }), true],
  ['suffix ignoring case: photo.Png', PNG_SUFFIX_IGNORING_CASE, withDetail({ FileName: 'photo.Png' }), true],
  ['suffix ignoring case: photo.gif', PNG_SUFFIX_IGNORING_CASE, withDetail({ FileName: 'photo.gif' }), false],
  ['equals-ignore-case: Alice', NAME_IGNORING_CASE, { Name: 'Alice' }, true],
  ['equals-ignore-case: ALICE', NAME_IGNORING_CASE, { Name: 'ALICE' }, true],
  ['equals-ignore-case: Alicia', NAME_IGNORING_CASE, { Name: 'Alicia' }, false],
  ['empty: LastName is empty', { LastName: [''] }, { LastName: '' }, true],
  ['empty: LastName is not empty', { LastName: [''] }, { LastName: 'Doe' }, false],
  [
    'and: New York on Monday',
    { Location: ['New York'], Day: ['Monday'] },
    { Location: 'New York', Day: 'Monday' },
    true,
  ],
  [
    'and: New York on Tuesday',
    { Location: ['New York'], Day: ['Monday'] },
    { Location: 'New York', Day: 'Tuesday' },
    false,
  ],
]);

const STATE_NOT_INITIALIZING: EventPattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
const X_LIMIT_NOT_123: EventPattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
const STATE_NOT_STOPPED_OR_OVERLOADED: EventPattern = {
  detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] },
};
const X_LIMIT_NOT_HUNDREDS: EventPattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
const STATE_NOT_INIT_PREFIX: EventPattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
const REGION_NOT_US: EventPattern = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
const FILE_NOT_PNG: EventPattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
const STATE_NOT_INITIALIZING_ANY_CASE: EventPattern = {
  state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }],
};
const PATH_WITHOUT_LIB: EventPattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
const anythingBut = cases([
  ['anything-but a string: running', STATE_NOT_INITIALIZING, withDetail({ state: 'running' }), true],
  [
    'anything-but a string: initializing',
    STATE_NOT_INITIALIZING,
    withDetail({ state: 'initializing' }),
    false,
  ],
  ['anything-but a string: the field is missing', STATE_NOT_INITIALIZING, withDetail({}), false],
  ['anything-but a number: 456', X_LIMIT_NOT_123, withDetail({ 'x-limit': 456 }), true],
  ['anything-but a number: 123', X_LIMIT_NOT_123, withDetail({ 'x-limit': 123 }), false],
  [
    'anything-but a number: the string "123" is not the number',
    X_LIMIT_NOT_123,
    withDetail({ 'x-limit': '123' }),
    true,
  ],
  ['anything-but strings: running', STATE_NOT_STOPPED_OR_OVERLOADED, withDetail({ state: 'running' }), true],
  ['anything-but strings: stopped', STATE_NOT_STOPPED_OR_OVERLOADED, withDetail({ state: 'stopped' }), false],
  [
    'anything-but strings: overloaded',
    STATE_NOT_STOPPED_OR_OVERLOADED,
    withDetail({ state: 'overloaded' }),
    false,
  ],
  ['anything-but numbers: 301.8', X_LIMIT_NOT_HUNDREDS, withDetail({ 'x-limit': 301.8 }), true],
  ['anything-but numbers: 200', X_LIMIT_NOT_HUNDREDS, withDetail({ 'x-limit': 200 }), false],
  ['anything-but prefix: running', STATE_NOT_INIT_PREFIX, withDetail({ state: 'running' }), true],
  ['anything-but prefix: initializing', STATE_NOT_INIT_PREFIX, withDetail({ state: 'initializing' }), false],
  ['anything-but prefix: Region eu-west-1', REGION_NOT_US, { Region: 'eu-west-1' }, true],
  ['anything-but prefix: Region us-east-1', REGION_NOT_US, { Region: 'us-east-1' }, false],
  ['anything-but suffix: photo.jpg', FILE_NOT_PNG, { FileName: 'photo.jpg' }, true],
  ['anything-but suffix: photo.png', FILE_NOT_PNG, { FileName: 'photo.png' }, false],
  ['anything-but ignoring case: running', STATE_NOT_INITIALIZING_ANY_CASE, { state: 'running' }, true],
  [
    'anything-but ignoring case: INITIALIZING',
    STATE_NOT_INITIALIZING_ANY_CASE,
    { state: 'INITIALIZING' },
    false,
  ],
  [
    'anything-but ignoring case: Initializing',
    STATE_NOT_INITIALIZING_ANY_CASE,
    { state: 'Initializing' },
    false,
  ],
  ['anything-but wildcard: /usr/bin/env', PATH_WITHOUT_LIB, { FilePath: '/usr/bin/env' }, true],
  ['anything-but wildcard: /usr/lib/libc.so', PATH_WITHOUT_LIB, { FilePath: '/usr/lib/libc.so' }, false],
  [
    'anything-but: every event except CloudTrail API calls',
    { 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] },
    documented.ec2InstanceTerminated,
    true,
  ],
  [
    'anything-but: not from Amazon EC2 or Amazon S3',
    { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] },
    documented.ec2InstanceTerminated,
    false,
  ],
  [
    'anything-but prefix: only your own events, not aws.*',
    { source: [{ 'anything-but': { prefix: 'aws.' } }] },
    { source: 'shop' },
    true,
  ],
]);

// The numeric example pattern and an event that satisfies all three fields.
const NUMERIC: EventPattern = {
  detail: {
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ numeric: ['=', 3.018e2] }],
  },
};
const NUMERIC_EVENT = { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 };
const numericAndCidr = cases([
  ['numeric: every field in range', NUMERIC, withDetail(NUMERIC_EVENT), true],
  ['numeric: c-count 0 is not > 0', NUMERIC, withDetail({ ...NUMERIC_EVENT, 'c-count': 0 }), false],
  ['numeric: c-count 6 is not <= 5', NUMERIC, withDetail({ ...NUMERIC_EVENT, 'c-count': 6 }), false],
  ['numeric: d-count 10 is not < 10', NUMERIC, withDetail({ ...NUMERIC_EVENT, 'd-count': 10 }), false],
  [
    'numeric: x-limit 301.9 is not 3.018e2',
    NUMERIC,
    withDetail({ ...NUMERIC_EVENT, 'x-limit': 301.9 }),
    false,
  ],
  ['numeric: only JSON numbers, not "5"', NUMERIC, withDetail({ ...NUMERIC_EVENT, 'c-count': '5' }), false],
  ['numeric: >= includes its bound', { n: [{ numeric: ['>=', 10] }] }, { n: 10 }, true],
  ['numeric: > excludes its bound', { n: [{ numeric: ['>', 10] }] }, { n: 10 }, false],
  ['numeric: negative and fractional', { n: [{ numeric: ['>', -1.5, '<', 0] }] }, { n: -0.25 }, true],
  [
    'cidr: 10.0.0.0/24 holds 10.0.0.255',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    withDetail({ sourceIPAddress: '10.0.0.255' }),
    true,
  ],
  [
    'cidr: 10.0.0.0/24 does not hold 10.0.1.1',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    withDetail({ sourceIPAddress: '10.0.1.1' }),
    false,
  ],
  ['cidr: not an address', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: 'not-an-ip' }, false],
  ['cidr: 0.0.0.0/0 holds every IPv4 address', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '203.0.113.9' }, true],
  [
    'cidr IPv6: 2001:db8::/32 holds a full address',
    { ip: [{ cidr: '2001:db8::/32' }] },
    { ip: '2001:0db8:0:0:0:0:0:1' },
    true,
  ],
  ['cidr IPv6: upper-case hex', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:DB8::FF' }, true],
  ['cidr IPv6: outside the block', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  ['cidr IPv6: a /127 boundary', { ip: [{ cidr: 'fe80::/127' }] }, { ip: 'fe80::1' }, true],
  ['cidr IPv6: just past a /127', { ip: [{ cidr: 'fe80::/127' }] }, { ip: 'fe80::2' }, false],
  [
    'cidr IPv6: embedded IPv4 notation',
    { ip: [{ cidr: '::ffff:10.0.0.0/120' }] },
    { ip: '::ffff:10.0.0.7' },
    true,
  ],
  ['cidr: an IPv4 address is not in an IPv6 block', { ip: [{ cidr: '::/0' }] }, { ip: '10.0.0.1' }, false],
  ['cidr: an IPv6 address is not in an IPv4 block', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '::1' }, false],
]);

// Exists matching: the two examples of the User Guide (the page changed its example over time; both hold).
const C_COUNT_ABSENT: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
const STATE_PRESENT: EventPattern = { detail: { state: [{ exists: true }] } };
const exists = cases([
  ['exists false: no detail.c-count field', C_COUNT_ABSENT, documented.stateWithoutCCount, true],
  ['exists false: c-count is an object, not a leaf', C_COUNT_ABSENT, documented.stateWithObjectCCount, true],
  ['exists false: c-count is there', C_COUNT_ABSENT, withDetail({ 'c-count': 3 }), false],
  ['exists false: no detail object at all', C_COUNT_ABSENT, { source: 'shop' }, true],
  ['exists true: the EC2 pending event has detail.state', STATE_PRESENT, documented.ec2InstancePending, true],
  ['exists true: no detail.state field', STATE_PRESENT, documented.onlyObjectCCount, false],
  ['exists true: null is a value', STATE_PRESENT, withDetail({ state: null }), true],
  ['exists true: an empty array holds no value', STATE_PRESENT, withDetail({ state: [] }), false],
  [
    'exists true: an object is not a leaf',
    { detail: [{ exists: true }] },
    documented.ec2InstancePending,
    false,
  ],
  [
    'exists false with another alternative: absent',
    { detail: { state: ['running', { exists: false }] } },
    withDetail({}),
    true,
  ],
  [
    'exists false with another alternative: present and matching',
    { detail: { state: ['running', { exists: false }] } },
    withDetail({ state: 'running' }),
    true,
  ],
  [
    'exists false with another alternative: present, not matching',
    { detail: { state: ['running', { exists: false }] } },
    withDetail({ state: 'stopped' }),
    false,
  ],
]);

// Wildcards (the operator table gives */lib/* under anything-but; the rest are edge cases of `*` and the
// documented escapes: \* is a literal star, \\ a literal backslash).
const wildcard = cases([
  ['wildcard: dir/*.png', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/photo.png' }, true],
  [
    'wildcard: * crosses slashes',
    { FileName: [{ wildcard: 'dir/*.png' }] },
    { FileName: 'dir/sub/photo.png' },
    true,
  ],
  ['wildcard: * can be empty', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/.png' }, true],
  [
    'wildcard: wrong extension',
    { FileName: [{ wildcard: 'dir/*.png' }] },
    { FileName: 'dir/photo.jpg' },
    false,
  ],
  [
    'wildcard: an ARN with two stars',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/peakline' },
    true,
  ],
  [
    'wildcard: an ARN in another region',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/peakline' },
    false,
  ],
  ['wildcard: segments must not overlap', { s: [{ wildcard: 'ab*ba' }] }, { s: 'aba' }, false],
  [
    'wildcard: a middle segment cannot reuse the last one',
    { s: [{ wildcard: 'x*ab*b' }] },
    { s: 'xab' },
    false,
  ],
  ['wildcard: middle and last segments in turn', { s: [{ wildcard: 'x*ab*b' }] }, { s: 'xabb' }, true],
  ['wildcard: a lone * matches the empty string', { s: [{ wildcard: '*' }] }, { s: '' }, true],
  ['wildcard: without a star it is exact', { s: [{ wildcard: 'abc' }] }, { s: 'abcd' }, false],
  ['wildcard: ? is not special', { s: [{ wildcard: 'a?c' }] }, { s: 'abc' }, false],
  ['wildcard: \\* is a literal star', { s: [{ wildcard: 'dir/\\*.png' }] }, { s: 'dir/*.png' }, true],
  ['wildcard: \\* does not expand', { s: [{ wildcard: 'dir/\\*.png' }] }, { s: 'dir/a.png' }, false],
  ['wildcard: \\\\ is a literal backslash', { s: [{ wildcard: 'C:\\\\*' }] }, { s: 'C:\\Users' }, true],
  ['wildcard: a literal star next to a wildcard', { s: [{ wildcard: '\\**' }] }, { s: '*anything' }, true],
  ['wildcard: only strings', { s: [{ wildcard: '1*' }] }, { s: 12 }, false],
]);

// $or: the examples of the "$or" primitive as documented for EventBridge's matcher
// (https://github.com/aws/event-ruler README, "The $or Primitive"), and the User Guide's operator table.
const NORMAL_OR: EventPattern = {
  source: ['aws.cloudwatch'],
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
};
const PARALLEL_OR: EventPattern = {
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
};
const NESTED_OR: EventPattern = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    {
      metricType: ['MetricType'],
      namespace: ['AWS/EC2', 'AWS/ES'],
      $or: [{ metricId: [1234] }, { spaceId: [1000] }],
    },
    { scope: ['Service'] },
  ],
};
const NUMERIC_OR: EventPattern = {
  detail: {
    $or: [
      { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
      { 'd-count': [{ numeric: ['<', 10] }] },
      { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
    ],
  },
};
const or = cases([
  ['$or: source and metricName', NORMAL_OR, { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
  ['$or: source and namespace', NORMAL_OR, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
  ['$or: source alone', NORMAL_OR, { source: 'aws.cloudwatch' }, false],
  ['$or: the AND outside still applies', NORMAL_OR, { source: 'aws.ec2', metricName: 'ReadLatency' }, false],
  [
    '$or in parallel at two levels: both satisfied',
    PARALLEL_OR,
    { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
    true,
  ],
  [
    '$or in parallel at two levels: only the top one',
    PARALLEL_OR,
    { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } },
    false,
  ],
  [
    'nested $or: the inner alternative metricId',
    NESTED_OR,
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', metricId: 1234 },
    true,
  ],
  [
    'nested $or: the inner alternatives both missing',
    NESTED_OR,
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' },
    false,
  ],
  ['nested $or: the last alternative', NESTED_OR, { source: 'aws.cloudwatch', scope: 'Service' }, true],
  [
    '$or of numeric conditions: only d-count holds',
    NUMERIC_OR,
    withDetail({ 'c-count': 9, 'd-count': 3 }),
    true,
  ],
  ['$or of numeric conditions: none holds', NUMERIC_OR, withDetail({ 'c-count': 9, 'd-count': 30 }), false],
]);

// Complex example with multiple matching (content filtering page).
const COMPLEX: EventPattern = {
  time: [{ prefix: '2017-10-02' }],
  detail: {
    state: [{ 'anything-but': 'initializing' }],
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ 'anything-but': [100, 200, 300] }],
  },
};
const COMPLEX_EVENT = { time: '2017-10-02T16:24:49Z', detail: { state: 'running', ...NUMERIC_EVENT } };
const complex = cases([
  ['complex: every condition holds', COMPLEX, COMPLEX_EVENT, true],
  [
    'complex: one condition fails',
    COMPLEX,
    { ...COMPLEX_EVENT, detail: { ...COMPLEX_EVENT.detail, 'x-limit': 200 } },
    false,
  ],
]);

// Edge cases the pages imply but do not spell out.
const edgeCases = cases([
  ['"5" does not match 5', { n: ['5'] }, { n: 5 }, false],
  ['5 does not match "5"', { n: [5] }, { n: '5' }, false],
  ['5 matches 5', { n: [5] }, { n: 5 }, true],
  ['true does not match "true"', { b: [true] }, { b: 'true' }, false],
  ['false matches false', { b: [false] }, { b: false }, true],
  ['null does not match "null"', { v: [null] }, { v: 'null' }, false],
  ['an array of numbers in the event', { n: [3] }, { n: [1, 2, 3] }, true],
  ['nested arrays in the event count as values', { n: ['x'] }, { n: [['a'], ['b', ['x']]] }, true],
  ['a prefix against an array', { tags: [{ prefix: 'In' }] }, documented.macieAlert.detail, true],
  [
    'a leaf pattern against an object in the event',
    { detail: ['terminated'] },
    documented.ec2InstanceTerminated,
    false,
  ],
  [
    'a nested pattern against an array of objects',
    { employees: { firstName: ['Anna'] } },
    { employees: [{ firstName: 'John' }, { firstName: 'Anna' }] },
    true,
  ],
  [
    'an array of objects: both fields must hold in the same element',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    },
    false,
  ],
  [
    'a nested pattern against a scalar',
    { detail: { state: ['terminated'] } },
    { detail: 'terminated' },
    false,
  ],
  ['a field on Object.prototype is not in the event', { constructor: [{ exists: true }] }, {}, false],
  ['an event that is not an object has no fields', { source: ['shop'] }, 'shop', false],
  ['exists false against an event that is not an object', { source: [{ exists: false }] }, null, true],
  ['a field with dots is one key, not a path', { 'a.b': ['x'] }, { 'a.b': 'x' }, true],
]);

describe('matchesEventPattern', () => {
  describe('Amazon EventBridge event patterns', () => {
    it.each(eventPatternsPage)('%s', (_name, pattern, event, expected) =>
      expectMatch(pattern, event, expected),
    );
  });

  describe('null values and empty strings', () => {
    it.each(nullValuesPage)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('arrays', () => {
    it.each(arraysPage)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('prefix, suffix, equals-ignore-case, empty, and', () => {
    it.each(prefixSuffixAndCase)('%s', (_name, pattern, event, expected) =>
      expectMatch(pattern, event, expected),
    );
  });

  describe('anything-but', () => {
    it.each(anythingBut)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('numeric and cidr', () => {
    it.each(numericAndCidr)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('exists', () => {
    it.each(exists)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('wildcard', () => {
    it.each(wildcard)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('$or', () => {
    it.each(or)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('complex', () => {
    it.each(complex)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  describe('edge cases', () => {
    it.each(edgeCases)('%s', (_name, pattern, event, expected) => expectMatch(pattern, event, expected));
  });

  it.each([
    ['us-east', false],
    ['us-west', true],
    ['eu-west', true],
  ] as const)('uses the last of duplicated keys, as documented: location %s', (location, expected) => {
    // Prepare: the content filtering page's example, as JSON text (an object literal cannot repeat a key)
    const pattern = JSON.parse(
      '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    ) as EventPattern;

    // Act
    const matched = matchesEventPattern(pattern, withDetail({ location }));

    // Assess
    expect(matched).toBe(expected);
  });

  it('gives the same answer for a pattern it has already compiled', () => {
    // Prepare
    const pattern: EventPattern = { s: [{ wildcard: 'a*c' }] };
    const first = matchesEventPattern(pattern, { s: 'abc' });

    // Act
    const again = [matchesEventPattern(pattern, { s: 'abc' }), matchesEventPattern(pattern, { s: 'abd' })];

    // Assess
    expect([first, ...again]).toEqual([true, true, false]);
  });

  it('refuses an invalid pattern instead of guessing', () => {
    // Prepare
    const pattern = { detail: { state: [{ prefx: 'init' }] } } as EventPattern;

    // Act
    const match = (): boolean => matchesEventPattern(pattern, withDetail({ state: 'initializing' }));

    // Assess
    expect(match).toThrow('$.detail.state[0]: unrecognized match type "prefx"');
  });

  it('matches an event with a pattern built from its own values', () => {
    // Prepare: JSON-like events; keys other than "$or", which names the OR primitive in a pattern
    const key = fc.string({ minLength: 1, maxLength: 6 }).filter((text) => text !== '$or');
    const scalar = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(scalar, { minLength: 1, maxLength: 3 }),
        fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 3 }),
      ),
    }));
    const event = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
    const picks = fc.array(fc.boolean(), { minLength: 1, maxLength: 32 });

    // Act, Assess
    fc.assert(
      fc.property(event, picks, (generated, choices) => {
        const pattern = patternFrom(generated, choices);
        expect(validateEventPattern(pattern)).toEqual([]);
        expect(matchesEventPattern(pattern, generated)).toBe(true);
      }),
    );
  });
});

/**
 * An exact-match pattern on a subset of `event`'s fields, chosen by `choices` (cycled): scalars as
 * themselves, arrays by one of their elements, objects recursively. Never empty, since EventBridge refuses
 * empty objects.
 */
function patternFrom(event: Record<string, unknown>, choices: readonly boolean[]): EventPattern {
  let next = 0;
  const pick = (): boolean => choices[next++ % choices.length] ?? true;
  const build = (object: Record<string, unknown>): EventPattern => {
    const entries = Object.entries(object);
    const chosen: [string, EventPattern | readonly unknown[]][] = [];
    entries.forEach(([field, fieldValue], index) => {
      const isLast = index === entries.length - 1;
      if (!pick() && !(isLast && chosen.length === 0)) return;
      if (Array.isArray(fieldValue)) chosen.push([field, [fieldValue[next % fieldValue.length]]]);
      else if (typeof fieldValue === 'object' && fieldValue !== null)
        chosen.push([field, build(fieldValue as Record<string, unknown>)]);
      else chosen.push([field, [fieldValue]]);
    });
    return Object.fromEntries(chosen);
  };
  return build(event);
}

describe('validateEventPattern', () => {
  it.each(allPatterns.map((pattern) => [JSON.stringify(pattern), pattern] as const))(
    'accepts the documented pattern %s',
    (_text, pattern) => {
      // Act
      const errors = validateEventPattern(pattern);

      // Assess
      expect(errors).toEqual([]);
    },
  );

  it.each(Object.values(rules({ shopSource: 'shop' })).map((rule) => [rule.id, rule.pattern] as const))(
    "accepts peakline's own rule %s",
    (_id, pattern) => {
      // Act
      const errors = validateEventPattern(pattern);

      // Assess
      expect(errors).toEqual([]);
    },
  );

  it.each([
    ['a pattern that is not an object', null, '$: an event pattern must be a JSON object'],
    ['a pattern that is an array', [], '$: an event pattern must be a JSON object'],
    ['an empty pattern', {}, '$: empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, '$.detail: empty objects are not allowed'],
    ['an empty leaf array', { source: [] }, '$.source: must be a non-empty array'],
    ['a bare string instead of an array', { source: 'aws.ec2' }, '$.source: must be an array of values'],
    ['a nested array inside a leaf', { source: [['aws.ec2']] }, '$.source[0]: a match value must be'],
    [
      'an unknown operator',
      { detail: { state: [{ prefx: 'init' }] } },
      '$.detail.state[0]: unrecognized match type "prefx"',
    ],
    [
      'two operators in one expression',
      { s: [{ prefix: 'a', suffix: 'b' }] },
      '$.s[0]: a match expression must have exactly one key, found 2',
    ],
    [
      'an empty match expression',
      { s: [{}] },
      '$.s[0]: a match expression must have exactly one key, found 0',
    ],
    ['a prefix that is a number', { s: [{ prefix: 1 }] }, '$.s[0].prefix: prefix must be a string'],
    [
      'a prefix with an unknown option',
      { s: [{ prefix: { 'ignore-case': 'a' } }] },
      '$.s[0].prefix: prefix must be a string or',
    ],
    [
      'a suffix ignoring case with a number',
      { s: [{ suffix: { 'equals-ignore-case': 1 } }] },
      '$.s[0].suffix: suffix must be',
    ],
    [
      'equals-ignore-case with a list',
      { s: [{ 'equals-ignore-case': ['a'] }] },
      '$.s[0].equals-ignore-case: equals-ignore-case must be a string',
    ],
    ['anything-but true', { s: [{ 'anything-but': true }] }, '$.s[0].anything-but: anything-but must be'],
    ['anything-but null', { s: [{ 'anything-but': null }] }, '$.s[0].anything-but: anything-but must be'],
    [
      'anything-but an empty list',
      { s: [{ 'anything-but': [] }] },
      '$.s[0].anything-but: anything-but must be',
    ],
    [
      'anything-but strings and numbers mixed',
      { s: [{ 'anything-but': ['a', 1] }] },
      '$.s[0].anything-but: anything-but must be',
    ],
    [
      'anything-but numeric',
      { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      '$.s[0].anything-but: unrecognized anything-but match type "numeric"',
    ],
    [
      'anything-but prefix with a number',
      { s: [{ 'anything-but': { prefix: 1 } }] },
      '$.s[0].anything-but.prefix: must be a string',
    ],
    [
      'numeric with an unknown operator',
      { n: [{ numeric: ['!=', 1] }] },
      '$.n[0].numeric[0]: unrecognized numeric operator "!="',
    ],
    [
      'numeric with a string bound',
      { n: [{ numeric: ['>', '1'] }] },
      '$.n[0].numeric[1]: numeric bound must be a number',
    ],
    [
      'numeric with three elements',
      { n: [{ numeric: ['>', 1, '<'] }] },
      '$.n[0].numeric: numeric must be [operator, number]',
    ],
    [
      'numeric with three conditions',
      { n: [{ numeric: ['>', 1, '<', 5, '<', 6] }] },
      '$.n[0].numeric: numeric must be',
    ],
    [
      'numeric = with a range',
      { n: [{ numeric: ['=', 1, '<', 5] }] },
      '$.n[0].numeric[0]: "=" cannot be combined',
    ],
    [
      'numeric with two lower bounds',
      { n: [{ numeric: ['>', 1, '>=', 5] }] },
      '$.n[0].numeric[2]: numeric has two lower bounds',
    ],
    [
      'numeric with an empty range',
      { n: [{ numeric: ['>', 5, '<', 1] }] },
      '$.n[0].numeric: the lower bound (5) must be less than the upper bound (1)',
    ],
    ['numeric not as a list', { n: [{ numeric: 5 }] }, '$.n[0].numeric: numeric must be'],
    ['exists with a string', { s: [{ exists: 'yes' }] }, '$.s[0].exists: exists must be true or false'],
    [
      'cidr without a prefix length',
      { ip: [{ cidr: '10.0.0.1' }] },
      '$.ip[0].cidr: cidr must be an IPv4 or IPv6 block',
    ],
    ['cidr with a prefix length over 32', { ip: [{ cidr: '10.0.0.0/33' }] }, '$.ip[0].cidr: cidr must be'],
    ['cidr with an octet over 255', { ip: [{ cidr: '300.0.0.0/8' }] }, '$.ip[0].cidr: cidr must be'],
    ['cidr IPv6 with two ::', { ip: [{ cidr: '1::2::3/64' }] }, '$.ip[0].cidr: cidr must be'],
    ['cidr IPv6 with a prefix length over 128', { ip: [{ cidr: '::/129' }] }, '$.ip[0].cidr: cidr must be'],
    [
      'wildcard with consecutive stars',
      { s: [{ wildcard: 'a**b' }] },
      '$.s[0].wildcard: consecutive wildcard characters at index 1',
    ],
    [
      'wildcard escaping a letter',
      { s: [{ wildcard: 'a\\b' }] },
      '$.s[0].wildcard: invalid escape at index 1',
    ],
    [
      'wildcard ending in a backslash',
      { s: [{ wildcard: 'a\\' }] },
      '$.s[0].wildcard: invalid escape at index 1',
    ],
    ['wildcard that is not a string', { s: [{ wildcard: 1 }] }, '$.s[0].wildcard: wildcard must be a string'],
    [
      'anything-but wildcard with consecutive stars',
      { s: [{ 'anything-but': { wildcard: '**' } }] },
      '$.s[0].anything-but.wildcard: consecutive wildcard characters at index 0',
    ],
    [
      '$or as an object',
      { $or: { a: ['x'] } },
      '$.$or: $or must be an array of at least two pattern objects',
    ],
    [
      '$or with one alternative',
      { $or: [{ a: ['x'] }] },
      '$.$or: $or must be an array of at least two pattern objects',
    ],
    [
      '$or of values instead of objects',
      { $or: ['a', { b: ['x'] }] },
      '$.$or[0]: an event pattern must be a JSON object',
    ],
    ['$or with an empty alternative', { $or: [{ a: ['x'] }, {}] }, '$.$or[1]: empty objects are not allowed'],
    [
      'an error deep inside $or',
      { detail: { $or: [{ a: ['x'] }, { b: [{ numeric: ['<', 'x'] }] }] } },
      '$.detail.$or[1].b[0].numeric[1]: numeric bound must be a number',
    ],
    ['a key that needs quoting in the path', { 'a.b': [] }, '$["a.b"]: must be a non-empty array'],
  ] as const)('rejects %s', (_name, pattern, expected) => {
    // Act
    const errors = validateEventPattern(pattern);

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it('reports every problem, not just the first', () => {
    // Prepare
    const pattern = { source: [], detail: { state: [{ prefx: 'a' }], n: [{ numeric: ['>', 'x'] }] } };

    // Act
    const errors = validateEventPattern(pattern);

    // Assess
    expect(errors).toEqual([
      '$.source: must be a non-empty array of values to match',
      '$.detail.state[0]: unrecognized match type "prefx"',
      '$.detail.n[0].numeric[1]: numeric bound must be a number, found "x"',
    ]);
  });
});

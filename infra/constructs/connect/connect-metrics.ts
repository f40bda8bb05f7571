import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Amazon Connect's own metrics in CloudWatch (namespace `AWS/Connect`, sent every minute, kept two weeks),
 * with the dimensions Connect files them under:
 * - instance metrics: `InstanceId` and `MetricGroup` = `VoiceCalls` (ConcurrentCallsPercentage, sent as a
 *   fraction, 0.8 = 80% of the instance's concurrent-calls quota; ThrottledCalls; MissedCalls);
 * - queue metrics: `InstanceId`, `MetricGroup` = `Queue`, `QueueName` (QueueSize, LongestQueueWaitTime);
 * - flow metrics: `InstanceId`, `MetricGroup` = `ContactFlow`, `ContactFlowName` (ContactFlowErrors,
 *   ContactFlowFatalErrors).
 */
export const CONNECT_NAMESPACE = 'AWS/Connect';

export type ConnectInstanceMetric = 'ConcurrentCallsPercentage' | 'ThrottledCalls' | 'MissedCalls';
export type ConnectQueueMetric = 'QueueSize' | 'LongestQueueWaitTime';
export type ConnectFlowMetric = 'ContactFlowErrors' | 'ContactFlowFatalErrors';

interface MetricOptions {
  readonly statistic: string;
  /** @default 1 minute, Connect's own interval */
  readonly period?: Duration;
  readonly label?: string;
}

const metric = (metricName: string, dimensionsMap: Record<string, string>, options: MetricOptions): Metric =>
  new Metric({
    namespace: CONNECT_NAMESPACE,
    metricName,
    dimensionsMap,
    statistic: options.statistic,
    period: options.period ?? Duration.minutes(1),
    ...(options.label === undefined ? {} : { label: options.label }),
  });

export const connectInstanceMetric = (
  instanceId: string,
  metricName: ConnectInstanceMetric,
  options: MetricOptions,
): Metric => metric(metricName, { InstanceId: instanceId, MetricGroup: 'VoiceCalls' }, options);

export const connectQueueMetric = (
  instanceId: string,
  queueName: string,
  metricName: ConnectQueueMetric,
  options: MetricOptions,
): Metric =>
  metric(metricName, { InstanceId: instanceId, MetricGroup: 'Queue', QueueName: queueName }, options);

export const connectFlowMetric = (
  instanceId: string,
  flowName: string,
  metricName: ConnectFlowMetric,
  options: MetricOptions,
): Metric =>
  metric(
    metricName,
    { InstanceId: instanceId, MetricGroup: 'ContactFlow', ContactFlowName: flowName },
    options,
  );

/**
 * Amazon Connect reports a queue's metrics to CloudWatch (`AWS/Connect`: QueueSize, LongestQueueWaitTime)
 * under its name as the `QueueName` dimension, and a flow's errors under `ContactFlowName`. Connect
 * documents the characters those names may hold for their metrics to be reported: ASCII letters and
 * digits, space and `. , - _ / # : $ @ | & { } + ? %`. A name with anything else (a Polish letter, an emoji)
 * works in Connect but its metrics never appear: the dashboard's line stays empty and an alarm on it
 * never fires. So every name peakline makes is checked here, at synth, where it is made.
 *
 * Pure (no aws-cdk-lib): the names are plain strings built from the stage and fixed suffixes.
 */

/** Characters Connect reports metrics for in a queue or flow name. */
const REPORTED = /^[A-Za-z0-9 .,\-_/#:$@|&{}+?%]+$/;

/** Thrown at synth for a queue or flow whose Connect metrics would never reach CloudWatch. */
export class CloudWatchNameError extends Error {
  override readonly name = 'CloudWatchNameError';
}

/**
 * `name` as given, or a CloudWatchNameError naming the characters CloudWatch would not get, e.g.
 * `queue "prod-obsługa": "ł" (U+0142) ...`.
 */
export const checkCloudWatchName = (kind: 'queue' | 'contact flow', name: string): string => {
  if (REPORTED.test(name)) return name;
  const refused = [...new Set([...name].filter((c) => !REPORTED.test(c)))].map(
    (c) => `"${c}" (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`,
  );
  throw new CloudWatchNameError(
    `${kind} "${name}": ${refused.length > 0 ? refused.join(', ') : 'an empty name'} cannot be a CloudWatch dimension value for Amazon Connect's metrics, so its ${kind === 'queue' ? 'QueueSize and LongestQueueWaitTime' : 'ContactFlowErrors and ContactFlowFatalErrors'} would never be reported. Use ASCII letters, digits, space and . , - _ / # : $ @ | & { } + ? % only.`,
  );
};

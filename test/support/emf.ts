/**
 * Reading a handler's EMF output in a test: what CloudWatch would turn into metrics from the lines the
 * function wrote to stdout.
 */

/** The EMF blobs' metric values, by name, summed over every flush in `output` (stdout's chunks). */
export const metricTotals = (output: readonly string[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const line of output.join('').split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const blob = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    };
    for (const { Name } of blob._aws.CloudWatchMetrics[0]?.Metrics ?? []) {
      const value = blob[Name];
      // Powertools writes a metric added twice in one flush as an array of values.
      totals[Name] =
        (totals[Name] ?? 0) + (Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : Number(value));
    }
  }
  return totals;
};

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sdkPutObject } from '#adapters/s3/sdk-put-object.js';
import type { KpiReportSources } from '#core/reporting/report.js';
import { writeMonthlyReport } from '#functions/monthly-report/run.js';

const sources = (asked: { from?: Date; to?: Date }): KpiReportSources => ({
  contactMetrics: {
    dailyQueueFigures: async (query) => {
      asked.from = query.from;
      asked.to = query.to;
      return [];
    },
  },
  ownFigures: { smsFigures: async () => [], callbackFigures: async () => [] },
  seats: { list: async () => [] },
  routingAudit: { changesBetween: async () => [], lastChangeBefore: async () => undefined },
});

describe('the monthly report', () => {
  it('writes last month on the shop’s wall clock as report-YYYY-MM.html and .csv', async () => {
    // Prepare: 1 Nov 2026 05:00 Z is 06:00 in Warsaw (CET), when the schedule runs.
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const asked: { from?: Date; to?: Date } = {};

    // Act
    const result = await writeMonthlyReport(
      {
        sources: sources(asked),
        queues: [{ key: 'primary', id: 'arn:queue/p', name: 'primary' }],
        settings: { serviceLevelSeconds: 20, serviceLevelTarget: 0.8, smsPricePerPartUSD: 0.04 },
        timeZone: 'Europe/Warsaw',
        language: 'pl',
        putObject: sdkPutObject(new S3Client({ region: 'eu-central-1' })),
        bucket: 'reports',
      },
      new Date('2026-11-01T05:00:00Z'),
    );

    // Assess: October 2026 in Warsaw, 1 Oct 00:00 CEST (30 Sep 22:00 Z) to 1 Nov 00:00 CET (31 Oct 23:00 Z).
    expect(result).toEqual({ month: '2026-10', keys: ['report-2026-10.html', 'report-2026-10.csv'] });
    expect(asked.from?.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(asked.to?.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).toEqual([
      ['reports', 'report-2026-10.html', 'text/html; charset=utf-8'],
      ['reports', 'report-2026-10.csv', 'text/csv; charset=utf-8'],
    ]);
    expect(String(puts[0]?.Body)).toContain('<html lang="pl">');
    expect(String(puts[1]?.Body)).toMatch(/^section,day,queue,channel,queued/);
    s3.restore();
  });
});

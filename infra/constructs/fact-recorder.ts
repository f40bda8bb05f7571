import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EventPattern as CdkEventPattern, IEventBus } from 'aws-cdk-lib/aws-events';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FACTS_BY_DAY_INDEX } from '#adapters/dynamodb/fact-store.js';
import type { RuleDefinition } from '#events/rules.js';
import { factRecorderEnvironment } from '#functions/fact-recorder/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { EventBuffer } from './event-buffer.js';
import { PeaklineFunction } from './peakline-function.js';

export interface FactRecorderProps {
  readonly config: PeaklineConfig;
  /** The DataStack's `facts` table. */
  readonly factsTable: ITableV2;
  readonly bus: IEventBus;
  /** The `factRecorder` rule from `events/rules.ts`. */
  readonly rule: RuleDefinition;
  /** Where the recorder puts the events it refuses, with the reason. */
  readonly rejectedEvents: IQueue;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
  /** Days a fact is kept after it happened (the table's TTL). @default config.data.factsRetentionDays (400) */
  readonly retentionDays?: number;
  /** Concurrent recorders the buffer may drive. @default 2 */
  readonly maxConcurrency?: number;
}

/**
 * peakline's SMS and callback facts, and the shop's orders of carts, recorded for the KPI report: the
 * `factRecorder` rule -> an SQS buffer with its DLQ -> the fact-recorder function -> the facts table.
 *
 * A buffer and function of their own, apart from the SMS and callback paths, so the report's bookkeeping
 * never slows them and a facts table in trouble never holds them back: facts wait in the buffer (4 days).
 * The function may put items in the facts table and nothing else there (no read, no index): recording is one
 * conditional put. Alarms (the buffer's DLQ, its oldest message, the function's errors) are the stack's to add.
 */
export class FactRecorder extends Construct {
  readonly recorder: PeaklineFunction;
  readonly buffer: EventBuffer;

  constructor(scope: Construct, id: string, props: FactRecorderProps) {
    super(scope, id);
    const { config } = props;
    const timeout = Duration.seconds(10);
    this.recorder = new PeaklineFunction(this, 'Recorder', {
      config,
      name: 'fact-recorder',
      description: "SMS and callback facts, orders of carts -> the KPI report's facts table",
      environmentSchema: factRecorderEnvironment,
      environment: {
        FACTS_TABLE_NAME: props.factsTable.tableName,
        REJECTED_EVENTS_QUEUE_URL: props.rejectedEvents.queueUrl,
        SHOP_SOURCE: config.shop.source,
        FACTS_RETENTION_DAYS: String(props.retentionDays ?? config.data.factsRetentionDays),
      },
      timeout,
    });
    // By hand rather than table.grant(), which would add every index: the recorder only puts items.
    this.recorder.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.factsTable.tableArn] }),
    );
    props.rejectedEvents.grantSendMessages(this.recorder.fn);

    const { $or, ...rest } = props.rule.pattern;
    this.buffer = new EventBuffer(this, 'Buffer', {
      bus: props.bus,
      // The rule's `$or` is added below: the buffer's pattern conversion knows the envelope's fields only.
      rule: { ...props.rule, pattern: rest },
      consumer: this.recorder.fn,
      consumerTimeout: timeout,
      queueName: `${props.prefix}-facts`,
      ...(props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency }),
    });
    if ($or !== undefined) this.buffer.rule.addEventPattern({ $or } as CdkEventPattern);
  }
}

/**
 * What the KPI report reads the facts table with: the by-day index (Query) and the carts' orders (BatchGetItem),
 * nothing else (no scan, no write).
 */
export const grantReadFigures = (grantee: IGrantable, factsTable: ITableV2): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${factsTable.tableArn}/index/${FACTS_BY_DAY_INDEX}`],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [factsTable.tableArn] }),
  );
};

import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { CONNECT_API_CALLERS, connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import { TABLES } from '#adapters/dynamodb/tables.js';
import { MANAGED_USER_TAG_KEY } from '#core/seats/managed-user.js';
import { TTL_REMOVAL_FILTER } from '#core/seats/revocation.js';
import { BACKSTOP_BATCH_SIZE, backstopTimeoutSeconds } from '#functions/seat-sweeper/connect-budget.js';
import { SEAT_REVOCATION_FAILURES_METRIC } from '#functions/seat-sweeper/wiring.js';
import {
  seatRevocationEnvironment,
  seatRevocationEnvironmentFrom,
} from '#functions/seat-sweeper/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue } from './secure-queue.js';

export interface SeatRevocationProps {
  readonly config: PeaklineConfig;
  /** The seats table, with its OLD_IMAGE stream. */
  readonly seatsTable: ITableV2;
  readonly bus: IEventBus;
  /** The Connect instance the seats' users live in. */
  readonly connect: { readonly instanceArn: string; readonly instanceId: string };
  readonly ops: OpsAlarms;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
}

/** The sweep index, the only index the sweeper reads. */
const SWEEP_INDEX = 'active-by-expiry';

/**
 * Taking a seasonal agent's access away when the contract ends, twice over:
 * - the sweeper, on a schedule, revokes every seat whose end has passed, within minutes of it;
 * - the TTL backstop, on the seats table's stream, revokes a seat the sweeper missed once DynamoDB's TTL
 *   deletes it (hours to days later).
 * Both delete the Connect user (and its quick connects) and nothing else in Connect.
 */
export class SeatRevocation extends Construct {
  readonly sweeper: PeaklineFunction;
  readonly backstop: PeaklineFunction;
  readonly sweeperFailures: ReturnType<typeof deadLetterQueue>;
  readonly backstopFailures: ReturnType<typeof deadLetterQueue>;

  constructor(scope: Construct, id: string, props: SeatRevocationProps) {
    super(scope, id);
    const { config, seatsTable, bus, connect, ops, prefix } = props;
    if (!TABLES.seats.indexes.some((index) => index.name === SWEEP_INDEX)) {
      throw new Error(`The seats table has no ${SWEEP_INDEX} index for the sweeper to read.`);
    }
    const environment = seatRevocationEnvironmentFrom(config, {
      seatsTable: seatsTable.tableName,
      busName: bus.eventBusName,
      connectInstanceId: connect.instanceId,
    });
    const every = config.seats.sweepEveryMinutes;

    this.sweeperFailures = deadLetterQueue(this, 'SweeperFailures', {
      queueName: `${prefix}-seat-sweeper-dlq`,
    });
    acknowledge(
      this.sweeperFailures,
      'AwsSolutions-SQS3',
      "This queue is the seat-sweeper function's on-failure destination and its schedule's DLQ; cdk-nag only recognises SQS redrive DLQs.",
    );
    this.sweeper = new PeaklineFunction(this, 'Sweeper', {
      config,
      name: 'seat-sweeper',
      description: `Every ${every} min: revokes the seats whose contract has ended`,
      environmentSchema: seatRevocationEnvironment,
      environment,
      // As long as the interval, so a run has ended (or been stopped) when the next one starts. The handler
      // takes on only as many seats as fit three quarters of it at the Connect rate.
      timeout: Duration.minutes(every),
      // One run at a time: a second would race the first for the same seats and, worse, take a share of the
      // Connect API rate nobody gave it (CONNECT_API_CALLERS counts one).
      reservedConcurrentExecutions: CONNECT_API_CALLERS['seat-sweeper'].maxConcurrency,
      onFailureQueue: this.sweeperFailures,
    });
    this.sweeper.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${seatsTable.tableArn}/index/${SWEEP_INDEX}`],
      }),
    );
    // markRevoked; granted by hand rather than with table.grant(), which would add every index.
    this.sweeper.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [seatsTable.tableArn] }),
    );
    new Rule(this, 'Schedule', {
      description: 'Revokes the seats whose contract has ended',
      schedule: Schedule.rate(Duration.minutes(every)),
      targets: [
        new LambdaFunction(this.sweeper.fn, { deadLetterQueue: this.sweeperFailures, retryAttempts: 2 }),
      ],
    });

    this.backstopFailures = deadLetterQueue(this, 'BackstopFailures', {
      queueName: `${prefix}-seat-ttl-backstop-dlq`,
    });
    acknowledge(
      this.backstopFailures,
      'AwsSolutions-SQS3',
      "This queue is the on-failure destination of the TTL backstop's stream event source mapping; cdk-nag only recognises SQS redrive DLQs.",
    );
    this.backstop = new PeaklineFunction(this, 'TtlBackstop', {
      config,
      name: 'seat-ttl-backstop',
      description: 'Seats table TTL deletions -> revokes a seat the sweeper missed',
      environmentSchema: seatRevocationEnvironment,
      environment,
      timeout: Duration.seconds(
        backstopTimeoutSeconds(
          connectCallsPerSecondFor('seat-ttl-backstop', config.connect.apiCallsPerSecond),
        ),
      ),
      // The split of the Connect API rate counts one backstop at a time; a stream with more than one shard
      // would otherwise run one per shard. A throttled batch is retried by the event source mapping.
      reservedConcurrentExecutions: CONNECT_API_CALLERS['seat-ttl-backstop'].maxConcurrency,
    });
    // recordRevoked writes the revocation under the seat's archive key.
    this.backstop.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [seatsTable.tableArn] }),
    );
    this.backstop.fn.addEventSource(
      new DynamoEventSource(seatsTable, {
        // TRIM_HORIZON, not LATEST: when the mapping is created (a first deploy, or the stateless pipeline
        // stack deployed again) the TTL deletions of the stream's last 24 hours are still revoked; LATEST
        // would skip them for good. Replaying is harmless: a seat already revoked, or a user already gone,
        // is done.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: BACKSTOP_BATCH_SIZE,
        // Only TTL deletions invoke the function (the same test the handler makes again), not every write.
        filters: [FilterCriteria.filter(TTL_REMOVAL_FILTER)],
        reportBatchItemFailures: true,
        // A batch that fails whole is split, so one bad record does not hold the others back.
        bisectBatchOnError: true,
        // Bounded: a record that cannot be revoked must not stop the shard for the stream's 24 hours. Its
        // batch's description (shard, sequence numbers) goes to the failure queue, and ops revoke by hand.
        retryAttempts: 5,
        onFailure: new SqsDlq(this.backstopFailures),
      }),
    );

    for (const fn of [this.sweeper.fn, this.backstop.fn]) {
      bus.grantPutEventsTo(fn);
      this.grantUserDeletion(fn, connect.instanceArn, config.stage);
    }

    ops.deadLetters('SweeperDlqAlarm', this.sweeperFailures, 'Seat sweeps failed');
    ops.functionErrors('SweeperErrors', this.sweeper.fn, 'seat-sweeper');
    // A seat the sweep could not revoke (or whose revocation it could not announce): the run went on with
    // the others, so nothing else would tell.
    ops.metricAtLeastOnce(
      'SweeperSeatFailuresAlarm',
      new Metric({
        namespace: 'peakline',
        metricName: SEAT_REVOCATION_FAILURES_METRIC,
        dimensionsMap: { service: 'peakline-seat-sweeper', stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      'The seat sweeper could not revoke some seats (their agents keep access) or announce their revocation; see its log group ("seat revocation failed"). A user without the peakline:managed tag is refused by design: see "Seasonal seats" in the README.',
    );
    ops.deadLetters(
      'BackstopDlqAlarm',
      this.backstopFailures,
      'Seats deleted by their TTL could not be revoked: their Connect users may still exist',
    );
    ops.functionErrors('BackstopErrors', this.backstop.fn, 'seat-ttl-backstop');
    // The backstop revoking anything means the sweeper did not, and an agent kept access past the contract.
    ops.metricAtLeastOnce(
      'BackstopRevokedAlarm',
      new Metric({
        namespace: 'peakline',
        metricName: 'SeatsRevoked',
        dimensionsMap: { service: 'peakline-seat-ttl-backstop', stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      "The TTL backstop revoked seats the sweeper missed: those agents kept their access after their contract ended. See the seat-sweeper's errors and logs.",
    );
  }

  /**
   * DeleteUser and the user's quick connects, on this instance only, and DeleteUser only of a user tagged
   * `peakline:managed=<stage>`: a user peakline created (the seats CLI tags every user it creates). Per the Service Authorization
   * Reference: DeleteUser acts on the user (`instance/<id>/agent/<user>`), DeleteQuickConnect on the quick
   * connect (`instance/<id>/transfer-destination/<qc>`), and SearchQuickConnects on the instance, with
   * DescribeQuickConnect as its dependent action: the search answers only with the quick connects the
   * caller may describe.
   */
  private grantUserDeletion(fn: IFunction, instanceArn: string, stage: string): void {
    const quickConnects = `${instanceArn}/transfer-destination/*`;
    const users = `${instanceArn}/agent/*`;
    const policy = new Policy(fn, 'ConnectUserDeletion', {
      statements: [
        new PolicyStatement({
          sid: 'FindTheUsersQuickConnects',
          actions: ['connect:SearchQuickConnects'],
          resources: [instanceArn],
        }),
        new PolicyStatement({
          sid: 'DeleteTheUsersQuickConnects',
          actions: ['connect:DescribeQuickConnect', 'connect:DeleteQuickConnect'],
          resources: [quickConnects],
        }),
        // A seat whose provisioning was interrupted after CreateUser has no user id recorded: its user is
        // found by username (SearchUsers, with DescribeUser as its dependent action, as for quick connects).
        new PolicyStatement({
          sid: 'FindAnUnrecordedUser',
          actions: ['connect:SearchUsers'],
          resources: [instanceArn],
        }),
        // Read first: the adapter checks the tag itself before it deletes the user's quick connects, so a user
        // IAM would not let it delete keeps them.
        new PolicyStatement({
          sid: 'ReadTheUsersTags',
          actions: ['connect:DescribeUser'],
          resources: [users],
        }),
        // Only users this stage of peakline created. Quick connects are not conditioned: admins make them,
        // untagged, and the adapter deletes only those that transfer to a user whose tag it has just read.
        new PolicyStatement({
          sid: 'DeleteOnlyPeaklinesUsers',
          actions: ['connect:DeleteUser'],
          resources: [users],
          conditions: { StringEquals: { [`aws:ResourceTag/${MANAGED_USER_TAG_KEY}`]: stage } },
        }),
      ],
    });
    fn.role?.attachInlinePolicy(policy);
    // cdk-nag names a wildcard finding after the resource as the template has it. For the instance the
    // ContactCenterStack creates, that is a cross-stack reference, resolved only when the app is
    // synthesized; construct validation runs after that and before cdk-nag, so the two findings are
    // acknowledged then, each exactly (should CDK ever reorder this, the synth fails, not passes).
    policy.node.addValidation({
      validate: () => {
        const instance = flattenCfnReference(Stack.of(policy).resolve(instanceArn));
        for (const [kind, what] of [
          ['transfer-destination', 'quick connects'],
          ['agent', 'users'],
        ] as const) {
          acknowledge(
            policy,
            `AwsSolutions-IAM5[Resource::${instance}/${kind}/*]`,
            `The seats' Connect users and their quick connects are created by the seats CLI at run time, so their ids are not known here; the ${what} wildcard is confined to peakline's own Connect instance, and the policy allows only finding and deleting them.`,
          );
        }
        return [];
      },
    });
  }
}

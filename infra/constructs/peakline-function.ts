import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import { BUNDLING, runtimeEnvironment } from './bundling.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PeaklineFunctionProps {
  readonly config: PeaklineConfig;
  /** Folder under `functions/` holding the function's `handler.ts`. */
  readonly name: string;
  readonly description: string;
  /**
   * The variables the handler reads, checked at synth against `environmentSchema`: literal values
   * must parse, and every variable the schema requires must be there (tokens are checked for presence
   * only; their values exist at deploy time).
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The same zod schema the handler validates `process.env` with at cold start. */
  readonly environmentSchema: z.ZodObject;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 256 MiB: arm64 Lambda's CPU share grows with memory, and JSON parsing is CPU-bound. */
  readonly memorySize?: number;
  /** Where failed asynchronous invocations go; required for any function invoked asynchronously. @default none */
  readonly onFailureQueue?: IQueue;
  /** @default no reservation */
  readonly reservedConcurrentExecutions?: number;
}

/** Thrown at synth when a function's environment would fail its own cold-start validation. */
export class FunctionEnvironmentError extends Error {
  override readonly name = 'FunctionEnvironmentError';
}

export const checkEnvironment = (
  functionName: string,
  schema: z.ZodObject,
  environment: Readonly<Record<string, string>>,
): void => {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const value = environment[key];
    if (value === undefined) {
      if (!field.safeParse(undefined).success) problems.push(`${key}: missing`);
      continue;
    }
    if (Token.isUnresolved(value)) continue;
    const result = field.safeParse(value);
    if (!result.success) problems.push(`${key}: ${result.error.issues.map((i) => i.message).join(', ')}`);
  }
  if (problems.length > 0) {
    throw new FunctionEnvironmentError(`Function ${functionName} environment: ${problems.join('; ')}`);
  }
};

/**
 * Every peakline Lambda, with the choices made once:
 * - the newest Node.js runtime aws-cdk-lib offers (cdk-nag's L1 rule, and the fastest cold start);
 * - arm64: about 20% cheaper per GB-second than x86 for the same JSON-heavy work;
 * - bundled by the local esbuild, never Docker (CI and ops laptops need no Docker), as minified ESM
 *   with names kept and no source map, the credential chain reduced to the environment: each choice
 *   with its measured effect on the cold start is in `bundling.ts`, shared with the benchmark;
 * - JSON logs into a log group the stack owns, with the configured retention and level, so logs
 *   neither pile up forever nor outlive a throwaway stage;
 * - X-Ray tracing on, to follow an event from the bus through the queue to the SDK calls;
 * - a role of its own that may write only to its own log group (no broad managed policy).
 */
export class PeaklineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PeaklineFunctionProps) {
    super(scope, id);
    const { config } = props;
    checkEnvironment(props.name, props.environmentSchema, props.environment);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logs.retentionDays as RetentionDays,
      removalPolicy: config.data.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `peakline ${props.name} (${config.stage})`,
    });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${ROOT}functions/${props.name}/handler.ts`,
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.onFailureQueue ? { deadLetterQueue: props.onFailureQueue } : {}),
      environment: {
        ...props.environment,
        ...runtimeEnvironment({ name: props.name, stage: config.stage, logLevel: config.logs.level }),
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourcesContent: BUNDLING.sourcesContent,
        keepNames: BUNDLING.keepNames,
        define: { ...BUNDLING.define },
        mainFields: [...BUNDLING.mainFields],
        // esbuild's size report on every synth buries cdk-nag's findings; warnings still show.
        logLevel: LogLevel.WARNING,
        externalModules: [...BUNDLING.externalModules],
        banner: BUNDLING.banner,
        // NodejsFunction has no `alias` option; esbuild's own flag, `--alias:<module>=<path>`.
        esbuildArgs: { '--alias': Object.entries(BUNDLING.alias).map(([from, to]) => `${from}=${to}`) },
      },
    });

    // Tracing is switched on here rather than with `tracing: Tracing.ACTIVE`, which would add X-Ray's
    // `Resource: *` statement to the function's own policy, where acknowledging it would also hide any
    // future wildcard. In a policy of its own, the acknowledgement covers X-Ray and nothing else.
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    const tracing = new Policy(this, 'TracingPolicy', {
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    role.attachInlinePolicy(tracing);
    acknowledge(
      tracing,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS documents "*" as their only resource.',
    );
  }
}

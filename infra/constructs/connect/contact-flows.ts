import { Fn, Stack } from 'aws-cdk-lib';
import { CfnContactFlow, CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkCloudWatchName } from './cloudwatch-names.js';
import type { QueueKey } from './contact-centre-model.js';
import type { FlowDocument } from './flows/builder.js';
import { customerQueueFlow } from './flows/customer-queue.js';
import { inboundFlow } from './flows/inbound.js';
import type { FlowLanguage } from './flows/prompts.js';
import { taskRoutingFlow } from './flows/task-routing.js';
import { type FlowType, assertValidFlow } from './flows/validator.js';

/** The order lookup's wait when none is given: `orderStatus.lookupTimeoutSeconds`'s default. */
const DEFAULT_ORDER_STATUS_TIMEOUT_SECONDS = 3;

/** The last part of each flow's name, after the prefix. */
const FLOW_SUFFIXES = ['customer-queue', 'inbound', 'task-routing'] as const;

/** A flow's name, `<prefix>-<suffix>`, checked at synth: it is the flow's CloudWatch `ContactFlowName`. */
export const flowNameOf = (prefix: string, suffix: (typeof FLOW_SUFFIXES)[number]): string =>
  checkCloudWatchName('contact flow', `${prefix}-${suffix}`);

export interface ContactFlowsProps {
  /** ARN of the Amazon Connect instance the flows belong to. */
  readonly instanceArn: string;
  /** ARNs of peakline's queues (the ContactCenterStack's `queueArns`). */
  readonly queueArns: Readonly<Record<QueueKey, string>>;
  /**
   * The router the inbound flow asks where to queue a caller (`{ queue: 'primary' }` in, `mode`,
   * `queueArn`, `queueKey` out). It is associated with the instance and may be invoked by it.
   */
  readonly routerFunction: IFunction;
  /**
   * Sends the deflection SMS with the link to the request page (`{ kind: 'deflection' }` in, `sent` out).
   * Given: the DEFLECT menu offers option 3, and the function is associated with the instance. The
   * PipelineStack creates it only when `overflow.requestUrl` is set, so its presence is the one switch.
   * @default - no option 3: the menu offers waiting and a callback only
   */
  readonly deflectionSmsFunction?: IFunction;
  /**
   * Tells a caller their order's status before routing (`{ action: 'lookup' }` in, an OrderStatusAnswer
   * out; `{ action: 'send-link' }` for the tracking link). Given: the inbound flow looks every caller up
   * first, and the function is associated with the instance. The PipelineStack creates it only with
   * `orderStatus.enabled`, so its presence is the one switch.
   * @default - no order status: the flow goes from the greeting straight to the router
   */
  readonly orderStatusFunction?: IFunction;
  /**
   * How long the flow waits for each answer of the order-status function (`orderStatus.lookupTimeoutSeconds`,
   * 1..8, Connect's limit).
   * @default 3
   */
  readonly orderStatusTimeoutSeconds?: number;
  /**
   * Put before every flow name, e.g. the stage, so that several stages can share one instance (flow
   * names are unique per instance).
   */
  readonly namePrefix: string;
  /**
   * The bonus code the deflection SMS carries (`overflow.bonusCode`); option 3 then mentions it.
   * @default - no code mentioned
   */
  readonly bonusCode?: string;
  /**
   * Language (and Polly voice) of every prompt.
   * @default 'pl-PL'
   */
  readonly language?: FlowLanguage;
  /**
   * The shop's name, said in the greeting (e.g. `sms.shopName`).
   * @default - a greeting without the name
   */
  readonly shopName?: string;
  /**
   * ARN of a Connect prompt (hold music) looped while callers wait.
   * @default - a short spoken thank-you with pauses
   */
  readonly holdPromptArn?: string;
}

interface FlowSpec {
  readonly name: string;
  readonly type: FlowType;
  readonly description: string;
  readonly content: FlowDocument;
}

/**
 * peakline's contact flows, written in TypeScript (`./flows/`) and deployed as Flow Language JSON with
 * the queues' and functions' ARNs filled in by CloudFormation:
 *
 * - **inbound** (CONTACT_FLOW): greeting, the caller's order status (when given the function), the
 *   overflow router, the DEFLECT menu; for the phone number;
 * - **customer queue** (CUSTOMER_QUEUE): the estimated wait, announced periodically;
 * - **task routing** (CONTACT_FLOW): the flow StartTaskContact runs for callback and accounting tasks.
 *
 * Every flow is validated at synth (`assertValidFlow`), so a broken transition fails `cdk synth`
 * rather than CreateContactFlow minutes into a deployment. The functions the flows invoke are
 * associated with the instance and given a resource policy that lets only this instance invoke them.
 */
export class ContactFlows extends Construct {
  public readonly inboundFlow: CfnContactFlow;
  public readonly customerQueueFlow: CfnContactFlow;
  public readonly taskRoutingFlow: CfnContactFlow;
  /** ARN of the inbound flow: the flow to put on the shop's phone number. */
  public readonly inboundFlowArn: string;
  public readonly customerQueueFlowArn: string;
  public readonly taskFlowArn: string;
  /** Id of the task flow (the last part of its ARN): StartTaskContact's `ContactFlowId`. */
  public readonly taskFlowId: string;
  /** The flows' names: their `ContactFlowName` dimension in CloudWatch (ContactFlowErrors, ContactFlowFatalErrors). */
  public readonly flowNames: readonly string[];

  constructor(scope: Construct, id: string, props: ContactFlowsProps) {
    super(scope, id);
    const language = props.language ?? 'pl-PL';
    const sms = props.deflectionSmsFunction;
    const orderStatus = props.orderStatusFunction;

    this.customerQueueFlow = this.flow('CustomerQueueFlow', props.instanceArn, {
      name: flowNameOf(props.namePrefix, 'customer-queue'),
      type: 'CUSTOMER_QUEUE',
      description: 'peakline: what callers hear while waiting, with the estimated wait announced.',
      content: customerQueueFlow({
        language,
        ...(props.holdPromptArn === undefined ? {} : { holdPromptArn: props.holdPromptArn }),
      }),
    });
    this.customerQueueFlowArn = this.customerQueueFlow.attrContactFlowArn;

    this.inboundFlow = this.flow('InboundFlow', props.instanceArn, {
      name: flowNameOf(props.namePrefix, 'inbound'),
      type: 'CONTACT_FLOW',
      description:
        orderStatus === undefined
          ? 'peakline: greeting, overflow routing and the deflection offer.'
          : "peakline: greeting, the caller's order status, overflow routing and the deflection offer.",
      content: inboundFlow({
        queueArns: props.queueArns,
        routerFunctionArn: props.routerFunction.functionArn,
        customerQueueFlowArn: this.customerQueueFlowArn,
        language,
        ...(sms === undefined
          ? {}
          : { requestSms: { functionArn: sms.functionArn, withBonusCode: props.bonusCode !== undefined } }),
        ...(props.shopName === undefined ? {} : { shopName: props.shopName }),
        ...(orderStatus === undefined
          ? {}
          : {
              orderStatus: {
                functionArn: orderStatus.functionArn,
                timeoutSeconds: props.orderStatusTimeoutSeconds ?? DEFAULT_ORDER_STATUS_TIMEOUT_SECONDS,
              },
            }),
      }),
    });
    this.inboundFlowArn = this.inboundFlow.attrContactFlowArn;

    this.taskRoutingFlow = this.flow('TaskRoutingFlow', props.instanceArn, {
      name: flowNameOf(props.namePrefix, 'task-routing'),
      type: 'CONTACT_FLOW',
      description: 'peakline: routes callback and accounting tasks to the queue in peaklineQueueId.',
      content: taskRoutingFlow({ queueArns: props.queueArns }),
    });
    this.taskFlowArn = this.taskRoutingFlow.attrContactFlowArn;
    // arn:aws:connect:<region>:<account>:instance/<instance id>/contact-flow/<flow id>
    this.taskFlowId = Fn.select(3, Fn.split('/', this.taskFlowArn));

    this.flowNames = FLOW_SUFFIXES.map((suffix) => flowNameOf(props.namePrefix, suffix));

    const integrations = [this.allowInvoke('Router', props.routerFunction, props.instanceArn)];
    if (sms !== undefined) integrations.push(this.allowInvoke('DeflectionSms', sms, props.instanceArn));
    if (orderStatus !== undefined) {
      integrations.push(this.allowInvoke('OrderStatus', orderStatus, props.instanceArn));
    }
    // Connect checks the resources a flow names when it is created; the functions must be associated by then.
    this.inboundFlow.node.addDependency(...integrations);
  }

  /** A CfnContactFlow whose content is `content`, validated first, with its tokens left to CloudFormation. */
  private flow(id: string, instanceArn: string, spec: FlowSpec): CfnContactFlow {
    assertValidFlow(spec.content, spec.name, { flowType: spec.type });
    return new CfnContactFlow(this, id, {
      instanceArn,
      name: spec.name,
      type: spec.type,
      description: spec.description,
      // toJsonString escapes the JSON and turns the ARNs' tokens into Fn::Join / Fn::GetAtt, so the
      // deployed flow names the real queues and functions.
      content: Stack.of(this).toJsonString(spec.content),
    });
  }

  /**
   * Connect may invoke a function only once it is associated with the instance (what the console's
   * "AWS Lambda" page does), and Lambda must let it in: the resource policy names Connect as principal
   * and this instance as source, so no other instance, in any account, can invoke it.
   */
  private allowInvoke(id: string, fn: IFunction, instanceArn: string): CfnIntegrationAssociation {
    const integration = new CfnIntegrationAssociation(this, `${id}Integration`, {
      instanceId: instanceArn,
      integrationType: 'LAMBDA_FUNCTION',
      integrationArn: fn.functionArn,
    });
    fn.addPermission(`ConnectInvoke${id}`, {
      principal: new ServicePrincipal('connect.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: instanceArn,
      sourceAccount: Stack.of(this).account,
      scope: this,
    });
    return integration;
  }
}

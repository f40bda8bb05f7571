import { describe, expect, it } from 'vitest';
import { invocationFields } from '#adapters/logging/json-lines.js';

const CONTEXT = {
  functionName: 'peakline-prod-order-status',
  memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-prod-order-status',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
};

describe('invocationFields: what Powertools put on every line of an invocation', () => {
  it('says cold_start for the first invocation only, with the function and the request', () => {
    // Prepare
    const fieldsOf = invocationFields({});

    // Act
    const first = fieldsOf(CONTEXT);
    const second = fieldsOf({ ...CONTEXT, awsRequestId: 'second' });

    // Assess
    expect(first).toEqual({
      cold_start: true,
      function_name: 'peakline-prod-order-status',
      function_memory_size: 256,
      function_arn: CONTEXT.invokedFunctionArn,
      function_request_id: CONTEXT.awsRequestId,
    });
    expect(second).toMatchObject({ cold_start: false, function_request_id: 'second' });
  });

  it("takes the X-Ray trace id from Lambda's trace header, its root only", () => {
    // Prepare
    const fieldsOf = invocationFields({
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });

    // Act
    const fields = fieldsOf();

    // Assess
    expect(fields).toEqual({ cold_start: true, xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
  });
});

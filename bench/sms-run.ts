/**
 * `npm run bench:sms`: the SMS path's figures alone (DynamoDB calls per event, the ratio to DynamoDB
 * Local's raw conditional-put rate), written in place into bench/results.md and bench/results.json.
 */
import { parseArgs } from 'node:util';
import { replaceSmsSection, smsSection, writeSmsJson } from './sms-results.js';
import { measureSmsThroughput } from './sms-throughput.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '4000' } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const sms = await measureSmsThroughput(Number(values.events), 8);
replaceSmsSection(sms);
writeSmsJson(sms);
console.log(smsSection(sms).join('\n'));

import type { PaymentTaskDeps } from '#core/callbacks/payment-task.js';
import type { ContactCentre } from '#core/ports.js';
import type { PaymentIssuesEnvironment } from './environment.js';

/** The accounting task's ports: the contact centre (Connect on AWS, the simulator locally) and its settings. */
export const paymentIssuesDeps = (
  env: PaymentIssuesEnvironment,
  world: { readonly contactCentre: Pick<ContactCentre, 'startTask'> },
): PaymentTaskDeps => ({
  contactCentre: world.contactCentre,
  settings: {
    accountingQueueId: env.ACCOUNTING_QUEUE_ID,
    agentLocale: env.AGENT_LOCALE,
    timeZone: env.CONTACT_CENTRE_TIME_ZONE,
  },
});

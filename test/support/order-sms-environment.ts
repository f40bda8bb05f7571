/**
 * The order-SMS handler's environment as the CDK sets it, for the unit tests that load the handler itself
 * (its behaviour, its EMF output): AWS calls are mocked, so the names only need to be well formed.
 */
export const ORDER_SMS_TEST_ENVIRONMENT: Readonly<Record<string, string>> = {
  LEDGER_TABLE_NAME: 'peakline-test-ledger',
  SUPPRESSION_TABLE_NAME: 'peakline-test-suppression',
  ROUTING_TABLE_NAME: 'peakline-test-routing',
  REJECTED_EVENTS_QUEUE_URL:
    'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-rejected-events',
  EVENT_BUS_NAME: 'peakline',
  SMS_SENDER_ID: 'PEAKSHOP',
  SMS_SHOP_NAME: 'Sklep Peak',
  SMS_PARTS_PER_SECOND: '1000',
  SMS_SEGMENT_CAP: '3',
  SMS_DAILY_SEGMENT_CAP: '100000',
  SMS_QUIET_START: '21:00',
  SMS_QUIET_END: '08:00',
  SMS_REPLY_HOURS_OVERFLOW: '4',
  SMS_REPLY_HOURS_DEFLECT: '24',
  SMS_OVERLOADED: 'auto',
  SMS_RETENTION_DAYS: '30',
  SMS_MAX_ATTEMPTS: '5',
  SMS_MAX_DELAY_UPDATES: '2',
  CONTACT_CENTRE_TIME_ZONE: 'Europe/Warsaw',
  PRIMARY_QUEUE_ID: 'primary',
  POWERTOOLS_SERVICE_NAME: 'peakline-order-sms',
  POWERTOOLS_METRICS_NAMESPACE: 'peakline',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_REGION: 'eu-central-1',
};

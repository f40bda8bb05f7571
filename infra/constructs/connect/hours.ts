import type { CfnHoursOfOperation } from 'aws-cdk-lib/aws-connect';
import { type PeaklineConfig, WEEKDAYS, type Weekday } from '#infra/config/schema.js';

export type OpeningHours = PeaklineConfig['connect']['hours'];

const CONNECT_DAYS: Readonly<Record<Weekday, string>> = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
};

const HH_MM = /^(\d{2}):(\d{2})$/;

/** "08:30" -> { hours: 8, minutes: 30 }. */
export const timeSlice = (hhmm: string): CfnHoursOfOperation.HoursOfOperationTimeSliceProperty => {
  // The schema has validated the settings already; this guards callers that build hours by hand.
  const match = HH_MM.exec(hhmm);
  if (match === null) {
    throw new Error(`Expected a time as HH:MM, got "${hhmm}"`);
  }
  return { hours: Number(match[1]), minutes: Number(match[2]) };
};

/**
 * The `Config` of an AWS::Connect::HoursOfOperation for the configured opening hours, Monday first.
 * Connect treats a day without an entry as closed, which is what a day missing from the settings means.
 */
export const hoursOfOperationConfig = (
  hours: OpeningHours,
): CfnHoursOfOperation.HoursOfOperationConfigProperty[] =>
  WEEKDAYS.flatMap((day) => {
    const open = hours[day];
    return open === undefined
      ? []
      : [{ day: CONNECT_DAYS[day], startTime: timeSlice(open.open), endTime: timeSlice(open.close) }];
  });

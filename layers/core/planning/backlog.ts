/**
 * Staffing a backlog channel (e-mail, tasks): nobody waits on the line, so what matters is that every
 * contact is handled within its reply target. Work may be done any time between a contact's arrival and
 * its deadline, so the backlog is carried from interval to interval.
 *
 * The rule: each interval's work (contacts × AHT) is worked at an even pace from the interval's start until
 * the contacts' deadline (the interval's start plus the reply target), and the positions of an interval
 * are the sum of the paces of all work in hand. Every contact is then handled by its deadline by
 * construction, a burst is spread over its reply window instead of being chased on arrival, and a steady
 * stream needs as many agents as its workload once one reply window has passed. It needs no foresight,
 * which is how a team lead works a backlog. (A lazier rule, "the lowest rate that clears what has arrived
 * by its deadlines", after Yao, Demers & Shenker, FOCS 1995, was tried first: it keeps a full reply window
 * of work waiting in steady state, so every e-mail would be answered at the last minute.)
 *
 * Time is counted in the channel's working time: contacts arrive round the clock, but the backlog is
 * worked only in staffed intervals (peakline's default: 08:00-20:00 on the wall clock), and the reply
 * target's clock runs only then, as a service desk's SLA clock does: a task arriving at 19:45 with a
 * 4-hour target is due at 11:45 the next morning, an e-mail sent at 23:00 with a 12-hour target by
 * 20:00 the next day. (A clock running round the clock would make every task arriving in the last hours
 * of the day due before closing: a spike nobody staffs for.) Beyond the forecast's last interval the
 * working time goes on, so the plan's last day is not charged for deadlines that fall after it.
 */

/** One interval of a channel; the intervals follow each other without gaps. */
export interface BacklogInterval {
  readonly minutes: number;
  readonly contacts: number;
  readonly ahtSeconds: number;
  /** Agents work the backlog in this interval. @default true */
  readonly staffed?: boolean;
}

export interface BacklogStep {
  /** Agents busy on the channel through the interval (work seconds per second), fractional. */
  readonly positions: number;
  /** Contacts not yet handled at the interval's end. */
  readonly backlogContacts: number;
}

/**
 * The positions per interval that handle every contact within `replySeconds` of its interval's start,
 * and the backlog left after each interval. `intervals` are one channel's, in time order, each
 * starting where the one before ended.
 */
export const backlogPositions = (
  intervals: readonly BacklogInterval[],
  replySeconds: number,
): BacklogStep[] => {
  const count = intervals.length;
  const staffed = (j: number): boolean => intervals[j]?.staffed !== false;
  // before[j]: working seconds from the first interval's start to interval j's start.
  const before = new Float64Array(count + 1);
  intervals.forEach((interval, j) => {
    before[j + 1] = (before[j] ?? 0) + (staffed(j) ? interval.minutes * 60 : 0);
  });
  const workingTotal = before[count] ?? 0;
  // nextStaffed[j]: the first staffed interval from j on; count when none is left.
  const nextStaffed = new Int32Array(count + 1).fill(count);
  for (let j = count - 1; j >= 0; j -= 1) nextStaffed[j] = staffed(j) ? j : (nextStaffed[j + 1] ?? count);

  // Paces start and stop at interval boundaries: a difference array of work and of contacts per second.
  const work = new Float64Array(count + 1);
  const handled = new Float64Array(count + 1);
  let stop = 0;
  let largestPace = 0;
  let largestContacts = 0;
  intervals.forEach((interval, i) => {
    if (interval.contacts <= 0) return;
    const first = nextStaffed[i] ?? count;
    // After the last staffed interval the work falls beyond the forecast.
    if (first >= count) return;
    const start = before[first] ?? 0;
    const due = start + replySeconds;
    // Work is done by the end of the last interval ending by the deadline, but never later than the end
    // of the first staffed one (a target shorter than an interval). Deadlines grow with the arrival, so
    // the search goes on from where it stopped.
    while (stop < count && (before[stop + 1] ?? 0) <= due) stop += 1;
    const end = due >= workingTotal ? count : Math.max(stop, first + 1);
    const span = due >= workingTotal ? due - start : (before[end] ?? 0) - start;
    if (span <= 0) return;
    const pace = (interval.contacts * interval.ahtSeconds) / span;
    const contactPace = interval.contacts / span;
    largestPace = Math.max(largestPace, pace);
    largestContacts = Math.max(largestContacts, interval.contacts);
    work[first] = (work[first] ?? 0) + pace;
    work[end] = (work[end] ?? 0) - pace;
    handled[first] = (handled[first] ?? 0) + contactPace;
    handled[end] = (handled[end] ?? 0) - contactPace;
  });

  const steps: BacklogStep[] = [];
  let pace = 0;
  let contactPace = 0;
  let waiting = 0;
  intervals.forEach((interval, j) => {
    pace += work[j] ?? 0;
    contactPace += handled[j] ?? 0;
    const working = staffed(j) ? interval.minutes * 60 : 0;
    waiting += interval.contacts - contactPace * working;
    // Sums of many paces leave rounding dust where the true figure is zero.
    steps.push({
      positions: working === 0 || Math.abs(pace) <= 1e-9 * largestPace ? 0 : pace,
      backlogContacts: waiting <= 1e-9 * largestContacts ? 0 : waiting,
    });
  });
  return steps;
};

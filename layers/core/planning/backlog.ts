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
 * Time is counted in the channel's working time: the intervals the forecast lists for the channel are the
 * hours it is staffed, so an e-mail arriving at 21:00 with a 24-hour target may be answered the next
 * morning, not at 3:00. Beyond the forecast's last interval every second counts as working time, so the
 * plan's last day is not charged for deadlines that fall after it.
 */

export interface BacklogInterval {
  /** Epoch milliseconds of the interval's start. */
  readonly startMs: number;
  readonly minutes: number;
  readonly contacts: number;
  readonly ahtSeconds: number;
}

export interface BacklogStep {
  /** Agents busy on the channel through the interval (work seconds per second), fractional. */
  readonly positions: number;
  /** Contacts not yet handled at the interval's end. */
  readonly backlogContacts: number;
}

/**
 * The positions per interval that handle every contact within `replySeconds` of its interval's start,
 * and the backlog left after each interval. `intervals` are one channel's, sorted by start, not
 * overlapping.
 */
export const backlogPositions = (
  intervals: readonly BacklogInterval[],
  replySeconds: number,
): BacklogStep[] => {
  const count = intervals.length;
  // before[j]: working seconds from the first interval's start to interval j's start.
  const before = new Float64Array(count + 1);
  const ends = new Float64Array(count);
  intervals.forEach((interval, j) => {
    before[j + 1] = (before[j] ?? 0) + interval.minutes * 60;
    ends[j] = interval.startMs + interval.minutes * 60_000;
  });
  const horizonEnd = count > 0 ? (ends[count - 1] ?? 0) : 0;
  const workingTotal = before[count] ?? 0;

  // Paces start and stop at interval boundaries: a difference array of work and of contacts per second.
  const work = new Float64Array(count + 1);
  const handled = new Float64Array(count + 1);
  let endIndex = 0;
  intervals.forEach((interval, i) => {
    const deadlineMs = interval.startMs + replySeconds * 1000;
    // Deadlines grow with the arrival interval, so the search goes on from where it stopped.
    while (endIndex < count && (ends[endIndex] ?? 0) <= deadlineMs) endIndex += 1;
    // Work is done by the end of the last interval that ends by the deadline, never before its own ends.
    const stop = Math.max(endIndex, i + 1);
    const due =
      deadlineMs >= horizonEnd
        ? workingTotal + (deadlineMs - horizonEnd) / 1000
        : (before[stop] ?? workingTotal);
    const span = due - (before[i] ?? 0);
    if (interval.contacts <= 0 || span <= 0) return;
    const pace = (interval.contacts * interval.ahtSeconds) / span;
    const contactPace = interval.contacts / span;
    work[i] = (work[i] ?? 0) + pace;
    work[stop] = (work[stop] ?? 0) - pace;
    handled[i] = (handled[i] ?? 0) + contactPace;
    handled[stop] = (handled[stop] ?? 0) - contactPace;
  });

  const steps: BacklogStep[] = [];
  let positions = 0;
  let contactPace = 0;
  let waiting = 0;
  intervals.forEach((interval, j) => {
    positions += work[j] ?? 0;
    contactPace += handled[j] ?? 0;
    waiting += interval.contacts - contactPace * interval.minutes * 60;
    // Sums of many paces leave rounding dust where the true figure is zero.
    steps.push({
      positions: Math.abs(positions) < 1e-9 ? 0 : positions,
      backlogContacts: waiting < 1e-9 ? 0 : waiting,
    });
  });
  return steps;
};

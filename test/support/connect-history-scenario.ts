/**
 * A known evening of contacts on the simulator's virtual clock, for the tests of its historical metrics
 * (GetMetricDataV2) in process and through the local Connect endpoint. Every figure the tests expect is
 * worked out by hand below, from this sequence alone.
 *
 * Europe/Warsaw (CET, UTC+1). One voice agent on the primary queue from 23:30 on 10 November 2026; a light
 * agent for the callback queue's tasks logs in at 00:20 on the 11th. Times are Warsaw's.
 *
 * | contact | arrives        | patience | handling | what happens                                                  |
 * | c1 call | 10th 23:30:00  | never    | 600 s    | answered at once (0 s), finished 23:40:00                     |
 * | c2 call | 10th 23:31:00  | never    | 1500 s   | answered 23:40:00 (540 s), finished 11th 00:05:00             |
 * | c3 call | 10th 23:32:00  | 30 s     |          | hangs up 23:32:30 (30 s in queue)                             |
 * | t1 task | 10th 23:35:00  | (never)  | 300 s    | answered 11th 00:20:00 (2700 s), finished 00:25:00            |
 * | c4 call | 10th 23:55:00  | never    | 100 s    | answered 11th 00:05:00 (600 s), finished 00:06:40             |
 * | c6 call | 11th 00:06:30  | never    | 200 s    | answered 00:06:40 (10 s), finished 00:10:00                   |
 * | c7 call | 11th 00:07:00  | 4 s      |          | hangs up 00:07:04 (4 s)                                       |
 * | c8 call | 11th 00:08:00  | never    | 60 s     | answered 00:10:00 (120 s), finished 00:11:00                  |
 *
 * A contact's queue figures count when it leaves the queue, its handling when it is finished. The service
 * level is Connect's: contacts removed from the queue (answered or abandoned) within the threshold, over the
 * contacts queued. So:
 * - 10th, primary, VOICE: left the queue c1 (0 s), c2 (540 s), c3 (abandoned, 30 s): queued 3, abandoned 1;
 *   handled c1 (600 s): 1. Service level < 20 s: c1 only (c3 hung up after 30 s), 1/3 = 33.33 %. Answer
 *   time (0 + 540) / 2 = 270 s.
 *   Handle time 600 s. Longest in queue 540 s.
 * - 11th, primary, VOICE: left the queue c4 (600 s), c6 (10 s), c7 (abandoned, 4 s), c8 (120 s): queued 4,
 *   abandoned 1; handled c2 (1500 s), c4 (100 s), c6 (200 s), c8 (60 s): 4. Service level < 20 s: c6 and c7
 *   (who hung up after 4 s), 2/4 = 50 % (< 10 s: c7 only, 25 %; <= 10 s: c6 and c7, 50 %; < 601 s: all,
 *   100 %). Answer time (600 + 10 + 120) / 3 = 243.33 s. Handle time (1500 + 100 + 200 + 60) / 4 = 465 s.
 *   Longest in queue 600 s.
 * - 11th, callback, TASK: t1: queued 1, handled 1, abandoned 0, service level 0 %, answer time 2700 s,
 *   handle time 300 s, longest 2700 s.
 * - 10th, callback: nothing left the queue, so no row; no CHAT anywhere, so no CHAT row.
 */
import { DateTime } from 'luxon';
import { ConnectSimulator } from '#simulator/connect/index.js';

export const SCENARIO_ZONE = 'Europe/Warsaw';
/** 10 November 2026, 23:30 in Warsaw. */
export const SCENARIO_START = Date.UTC(2026, 10, 10, 22, 30);
/** Where the scenario leaves the clock: 11 November, 00:30 in Warsaw. */
export const SCENARIO_END = SCENARIO_START + 3600_000;
export const SCENARIO_QUEUE_IDS = ['primary', 'callback'] as const;

/** A midnight in Warsaw, epoch ms. */
export const warsawMidnight = (day: string): number =>
  DateTime.fromISO(day, { zone: SCENARIO_ZONE }).toMillis();

const at = (seconds: number): number => SCENARIO_START + seconds * 1000;

/** The simulator with the evening above played to {@link SCENARIO_END}. */
export const playScenario = (simulator = scenarioSimulator()): ConnectSimulator => {
  simulator.setAgentsOnline('voice', 1);
  const call = (atSeconds: number, handlingSeconds: number | undefined, patienceSeconds = Infinity) =>
    simulator.arrive({
      channel: 'VOICE',
      queueId: 'primary',
      at: at(atSeconds),
      patienceSeconds,
      ...(handlingSeconds === undefined ? {} : { handlingSeconds }),
    });
  call(0, 600); // c1
  call(60, 1500); // c2
  call(120, undefined, 30); // c3
  simulator.arriveTask({ queueId: 'callback', at: at(300), handlingSeconds: 300 }); // t1
  call(1500, 100); // c4
  call(2190, 200); // c6
  call(2220, undefined, 4); // c7
  call(2280, 60); // c8
  simulator.advanceTo(at(3000)); // 00:20
  simulator.setAgentsOnline('light', 1);
  simulator.advanceTo(SCENARIO_END);
  return simulator;
};

export const scenarioSimulator = (): ConnectSimulator =>
  new ConnectSimulator({
    startTime: SCENARIO_START,
    seed: 7,
    queues: [
      { id: 'primary', name: 'primary' },
      { id: 'callback', name: 'callback' },
    ],
    routingProfiles: [
      {
        id: 'voice',
        name: 'voice',
        concurrency: { VOICE: 1 },
        queues: [{ queueId: 'primary', channel: 'VOICE', priority: 1 }],
      },
      {
        id: 'light',
        name: 'light',
        concurrency: { TASK: 1 },
        queues: [{ queueId: 'callback', channel: 'TASK', priority: 1 }],
      },
    ],
  });

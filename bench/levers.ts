/**
 * The cold start levers tried for issue 16, each measured A/B on the same machine (back to back,
 * interleaved samples, `npm run bench:cold` or the lever's own script) before it was kept or dropped.
 * Written into bench/results.md ("Cold start levers") and `bench.coldStarts.levers` of results.json.
 *
 * Adding one: append ONE entry to LEVERS (one surgical edit, at the end of the list). `beforeMs` and
 * `afterMs` are the same figure before and after the lever (say which in `note`: ms over `node -e 0`
 * by default, or load ms), on the functions in `scope`; `note` says why it was kept or dropped, the
 * machine's load when it matters, and where the lever is made.
 */
export interface Lever {
  /** What was changed, e.g. "NODE_OPTIONS without --enable-source-maps". */
  readonly lever: string;
  /** The functions it applies to, e.g. "every function" or "overflow-router". */
  readonly scope: string;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly kept: boolean;
  readonly note: string;
}

export const LEVERS: readonly Lever[] = [
  {
    lever:
      'overflow-router: its one GetItem as a signed JSON request (aws4 + node:https keep-alive) instead of the SDK document client',
    scope: 'overflow-router',
    beforeMs: 111.1,
    afterMs: 47.0,
    kept: true,
    note: 'CPU ms (user+system) of a cold start, load + first invoke, over a bare node, medians of 9-11 interleaved samples (bench/.tmp A/B; the shared machine ran at load 15-23, where wall medians swing by 100 ms); same run in wall over node -e 0: 442 -> 185 ms. Bundle 430 -> 94 KiB (zod still in): @smithy/core, the default credential chain (STS/SSO clients, IMDS, ini) and the retry/endpoint middleware gone. Same attempts and deadlines (2 x 300/450 ms). layers/adapters/signed-json/aws-json-client.ts, functions/overflow-router/wiring.ts.',
  },
  {
    lever:
      'environment checked by hand (layers/adapters/environment/fields.ts) instead of a zod schema at cold start; synth keeps a zod schema of the same fields',
    scope: 'overflow-router, order-status',
    beforeMs: 36.4,
    afterMs: 25.6,
    kept: true,
    note: 'CPU ms (user+system) of a cold start, load + first invoke, over a bare node, medians of 9-11 interleaved samples (bench/.tmp A/B; the shared machine ran at load 15-23, where wall medians swing by 100 ms); overflow-router (bundle 94 -> 26 KiB), a second run 47.0 -> 37.8; order-status 63.5 -> 60.0 (80.2 -> 77.4). zod/mini was not tried: the lead measured its whole-package load at ~29 ms against zod ~33, and the hand check loads nothing.',
  },
  {
    lever:
      'order-status: Query, SendMessage and GetSecretValue as signed JSON requests instead of the SDK DynamoDB, SQS and Secrets Manager clients',
    scope: 'order-status',
    beforeMs: 160.5,
    afterMs: 80.2,
    kept: true,
    note: 'CPU ms (user+system) of a cold start, load + first invoke, over a bare node, medians of 9-11 interleaved samples (bench/.tmp A/B; the shared machine ran at load 15-23, where wall medians swing by 100 ms); same run in wall over node -e 0: 734 -> 394 ms. Bundle 805 -> 400 KiB (zod and Powertools still in). The phone-hash key is still read while the container starts (phone-hash-keying.ts). functions/order-status/handler.ts, wiring.ts, layers/adapters/dynamodb/order-index-reader.ts.',
  },
  {
    lever:
      'order-status: log lines and EMF counts written by hand (layers/adapters/logging/json-lines.ts) instead of Powertools Logger, Metrics and middy',
    scope: 'order-status',
    beforeMs: 60.0,
    afterMs: 51.0,
    kept: true,
    note: 'CPU ms (user+system) of a cold start, load + first invoke, over a bare node, medians of 9-11 interleaved samples (bench/.tmp A/B; the shared machine ran at load 15-23, where wall medians swing by 100 ms); a second run 77.4 -> 63.2. Bundle 332 -> 287 KiB. Same lines and EMF shape (namespace peakline, dimensions service and stage, POWERTOOLS_LOG_LEVEL honoured), as the router always wrote them.',
  },
  {
    lever:
      'order-status: the phone check (libphonenumber-js, countries-and-timezones: 246 of 287 KiB) loaded by a dynamic import at its first use',
    scope: 'order-status',
    beforeMs: 51.9,
    afterMs: 55.1,
    kept: false,
    note: 'CPU ms (user+system) of a cold start, load + first invoke, over a bare node, medians of 9-11 interleaved samples (bench/.tmp A/B; the shared machine ran at load 15-23, where wall medians swing by 100 ms). No gain: the core order index and caller-SMS modules import the phone check statically, so esbuild keeps it in the eagerly evaluated bundle; stubbing it out entirely gave 47.5 ms (its metadata: ~4 ms of the whole cold start in CPU, ~10 ms of the load alone, more in wall time on a loaded machine). Making it truly lazy needs layers/core/orders/order-index.ts and layers/core/sms/deflection-sms.ts to stop importing phone-check.ts statically: not done. Reverted (layers/core/orders/lookup.ts unchanged).',
  },
  {
    lever:
      'SMS parts counted in one pass (GSM 03.38 table; Intl.Segmenter only for UCS-2 text with joined graphemes) instead of sms-segments-calculator',
    scope: 'order-sms, sms-release, deflection-sms (CPU per SMS, in process)',
    beforeMs: 1.2,
    afterMs: 0.43,
    kept: true,
    note: 'CPU ms per order-SMS event, not cold start: the batch consumer with in-memory ports, 3,000 events, 3 interleaved runs each (1.0-1.45 -> 0.34-0.48 ms, load 12). The calculator re-sums a part for each character it adds (quadratic). Checked against it on every BMP character and 500 seeded mixes. Also drops sms-segments-calculator and grapheme-splitter (37 KiB) from the bundles. layers/core/sms/segments.ts.',
  },
  {
    lever:
      "A customer's time zone checked once per name (luxon's isValidZone builds an Intl.DateTimeFormat per call)",
    scope: 'order-sms (CPU per SMS, in process)',
    beforeMs: 0.435,
    afterMs: 0.23,
    kept: true,
    note: 'CPU ms per order-SMS event, in memory, 3 interleaved runs each (load 9). layers/core/sms/phone-check.ts.',
  },
  {
    lever:
      'UCS-2 text whose every code unit is a grapheme of its own (Polish, Russian, Finnish copy) counted without a segmenter',
    scope: 'order-sms, sms-release, deflection-sms (CPU per SMS, in process)',
    beforeMs: 0.235,
    afterMs: 0.125,
    kept: true,
    note: 'CPU ms per order-SMS event, in memory, 3 interleaved runs each (load 9); the standalone set is checked code unit by code unit against Intl.Segmenter. layers/core/sms/segments.ts.',
  },
  {
    lever:
      'A mobile number recognised with one parse (mobile metadata first; min only for landlines and malformed numbers)',
    scope: 'order-sms, deflection-sms, order-index, order-status (CPU per phone)',
    beforeMs: 0.015,
    afterMs: 0.008,
    kept: true,
    note: 'CPU ms per number, 20,000 Polish mobiles, 5 interleaved runs (11-19 -> 6-10 us). Same answers on 54,145 numbers. layers/core/sms/phone-check.ts.',
  },
  {
    lever: 'Phone metadata: libphonenumber-js mobile alone instead of min + mobile',
    scope: 'order-sms, deflection-sms, order-index (load)',
    beforeMs: 23.9,
    afterMs: 15.7,
    kept: false,
    note: 'Load ms of each choice bundled alone (esbuild, minified), imported in a fresh process, median of 21 interleaved runs, load 12. Dropped: mobile alone cannot tell a malformed number from a landline (SmsSuppressed invalid-phone vs not-mobile). max alone: 26.1 ms, more than both. layers/core/sms/phone-check.ts.',
  },
  {
    lever: 'SMS date, time, plural and number formatters built once per locale, options and zone',
    scope: 'order-sms, sms-release, deflection-sms (CPU per SMS, in process)',
    beforeMs: 0.36,
    afterMs: 0.025,
    kept: true,
    note: 'CPU ms per rendered SMS (a shipped SMS with a timed delivery estimate and an OrderPlaced with the reply-time promise, 4 locales, 4,000 renders, 2 interleaved runs each: 0.32-0.41 -> 0.023-0.027 ms). bench:sms sends OrderPlaced without the promise, so its figure does not show this. layers/core/sms/templates.ts.',
  },
  {
    lever:
      'The event publisher imports the event names (events/detail-types.ts) instead of events/index.ts, which builds every zod event schema when loaded',
    scope:
      'seat-sweeper, seat-ttl-backstop, overflow-controller, callback-sweeper, deflection-sms-sender (the functions that publish but parse no shop event)',
    beforeMs: 175.8,
    afterMs: 160.2,
    kept: true,
    note: "seat-sweeper, CPU ms (user+system, reported by the child) of a cold start, load + first invoke, over a bare node, medians of 9 interleaved samples (load 3-8, bundles as deployed, before = HEAD without helper C's commits). Valgrind instruction count of one cold start (not moved by the machine's load): 842 -> 808 M. events/detail-types.ts, layers/adapters/eventbridge/event-publisher.ts.",
  },
  {
    lever:
      "A customer's time zone checked against ICU's canonical list (Intl.supportedValuesOf, read once) before building an Intl.DateTimeFormat, each zone's verdict kept",
    scope:
      'the shop-event consumers (customer-opt-out, fact-recorder, order-index, cart-callbacks, payment-issues, order-sms)',
    beforeMs: 119.3,
    afterMs: 108.1,
    kept: true,
    note: "fact-recorder, CPU ms over a bare node, medians of 9 interleaved samples (load 3-8; with the lazy rejected-events client below). Instructions (valgrind): fact-recorder 809 -> 722 M, customer-opt-out 788 -> 716 M; the first DateTimeFormat costs ~14 ms (ICU's start), the list ~2 ms. A LOSS where the first invoke builds a DateTimeFormat anyway (luxon's zones): order-index 914 -> 937 M, cart-callbacks 898 -> 924 M (~4-5 ms); kept for the functions nearest their budget, to be revisited (e.g. only the verdict cache where luxon runs). Same verdicts (aliases and other spellings still go to DateTimeFormat; tested). events/schemas/customer.ts.",
  },
  {
    lever:
      "The rejected-events queue's SQS client loaded by a dynamic import at the first malformed event (layers/adapters/sqs/rejected-events.ts)",
    scope: 'customer-opt-out, order-index, fact-recorder, cart-callbacks, payment-issues, order-sms',
    beforeMs: 134.3,
    afterMs: 127.2,
    kept: true,
    note: "customer-opt-out, CPU ms over a bare node, medians of 9 interleaved samples (load 3-8), together with the time zone lever above (a first run of 3: 131.9 -> 116.8). The SQS lever alone, in valgrind instructions: 746 -> 739 M (~1.5 ms): small, as esbuild's single file wraps the lazily loaded modules (+14 KiB) and the SQS client's own code is little; kept because the rare branch no longer costs every cold start.",
  },
  {
    lever:
      "payment-issues takes the Connect task centre from its own module (functions/callback-sweeper/connect-tasks.ts), not the callback sweeper's wiring",
    scope: 'payment-issues',
    beforeMs: 140.5,
    afterMs: 133.4,
    kept: true,
    note: "CPU ms over a bare node, medians of 9 interleaved samples (load 3-8), with the two shop-event levers above. The split alone in valgrind instructions: 945 -> 920 M; bundle 651 -> 598 KiB (the sweeper's DynamoDB stores, SMS sender, EventBridge and their clients no longer loaded).",
  },
  {
    lever:
      'The Connect client (and its 200 KiB) loaded by a dynamic import at its first use, for the sweepers that find nothing due on most runs',
    scope: 'seat-sweeper, callback-sweeper (tried on a DynamoDB + Connect bundle)',
    beforeMs: 90,
    afterMs: 83,
    kept: false,
    note: "CPU ms over a bare node, medians of 9 interleaved samples (load 2-6), a handler with one DynamoDB GetItem and a Connect client it does not call (wall 89.2 -> 84.5 ms). Instructions (valgrind): 656 -> 600 M when Connect is not called; esbuild's single file wraps every module the dynamic import reaches (+83 KiB), so when Connect is called the lazy bundle costs more than the eager one. The bench's first invokes of seat-sweeper, seat-ttl-backstop and callback-sweeper call Connect (a seat or a callback due), as a sweep with work does: not kept.",
  },
  {
    lever:
      "The environment checked by hand (B's readFields) in the schedulers' handlers, synth keeping a zod schema of the same fields",
    scope: 'seat-sweeper, seat-ttl-backstop, seat-digest, deflection-sms (accept)',
    beforeMs: 198.4,
    afterMs: 169.6,
    kept: true,
    note: "seat-sweeper, CPU ms over a bare node, medians of 9 interleaved samples (load 2-5); valgrind instructions 807 -> 747 M, bundle 616 -> 518 KiB (no zod left). seat-digest: 156.6 -> 140.6 CPU ms, 773 -> 717 M, 475 -> 379 KiB. deflection-sms (which also built the sender's order-SMS schema): 154.4 -> 138.5 CPU ms, 969 -> 904 M, 580 -> 483 KiB. functions/seat-sweeper/environment-fields.ts, functions/seat-digest/environment-fields.ts, functions/deflection-sms/accept-environment.ts.",
  },
  {
    lever:
      'sms-release: recordDecision and OrderSmsMetric from functions/order-sms/decision-log.ts (type imports only) instead of consumer.ts, which loaded the event schemas through shop-event-record.ts',
    scope: 'sms-release',
    beforeMs: 180.6,
    afterMs: 169.4,
    kept: true,
    note: 'Wall ms over `node -e 0`, medians of 3 alternating `npm run bench:cold -- --only sms-release --samples 5` runs each (load 0.6-0.9): before 183.4, 148.4, 180.6, after 169.4, 170.2, 158.8; module load 126.9 -> 111.2 ms (127.7, 110.4, 126.9 against 111.2, 113.0, 102.5). Bundle 502 -> 485 KiB: events/index.ts, events/schemas/* and shop-event-record.ts gone (esbuild metafile); zod was still in at this measurement, through the zod environment schema of functions/order-sms/environment.ts (a separate lever: the environment checked by hand). consumer.ts re-exports both names, so its other importers are unchanged.',
  },
  {
    lever:
      "Environment checked without zod: the consumers' handlers read their environment by hand (readFields), synth keeping a zod schema of the same fields",
    scope:
      'sms-release, overflow-controller, callback-sweeper, cart-callbacks, order-sms, customer-opt-out, fact-recorder, order-index, payment-issues, deflection-sms-sender, monthly-report',
    beforeMs: 108.5,
    afterMs: 88.1,
    kept: true,
    note: "sms-release, CPU ms over a bare node until the first invoke returned, medians of 9 interleaved samples (bench/.tmp/b/abcpu.ts, load 1.9-2.0); module load 72.2 -> 55.8 ms; bundle 485 -> 389 KiB: the environment schema was its last user of zod, so zod is gone (order-sms/environment-fields.ts, shared with order-sms). Where the event schemas still load zod, the gain is the schema's construction only and within the noise: customer-opt-out 106.0 -> 105.9 CPU ms in the same run, bundle 436 -> 434 KiB; order-sms, fact-recorder, order-index and payment-issues alike (not measured one by one). overflow-controller (no event schemas: zod gone, 826 -> 727 KiB; wiring.ts takes its derivations from environment-fields.ts): 150.7 -> 128.7 CPU ms, module load 97.4 -> 84.2 ms (9 interleaved samples, load 1.9-2.2; a first run of 9 said 229.4 -> 167.2). callback-sweeper (zod gone, 1042 -> 938 KiB; it also built the order-SMS schema through SMS_SENDERS): 174.1 -> 138.6 and 156.4 -> 129.1 CPU ms in two interleaved runs (9 and 11 samples, load 1.9-2.3); cart-callbacks, which keeps zod for its event schemas: 152.3 -> 168.5 and 159.1 -> 149.9, no effect beyond the noise. monthly-report keeps zod through the facts module (not measured). Kept for the one way of reading an environment and because a function whose last zod user goes loses zod whole.",
  },
  {
    lever:
      'DynamoDB without the SDK in every function: the adapters send their own commands (document-client.ts) through LeanDocumentClient (signed JSON request, util-dynamodb marshalling, three attempts with the standard backoff) instead of the SDK document client',
    scope:
      'every function that reads or writes DynamoDB (the router and order-status already did): customer-opt-out, fact-recorder, order-index, seat-digest measured',
    beforeMs: 104.4,
    afterMs: 63.5,
    kept: true,
    note: 'fact-recorder, wall ms over `node -e 0`, mean of the medians of 2 alternating `npm run bench:cold -- --samples 5` runs per side (load 2.3-2.6), the same tree with getDocumentClient() returning the SDK bridge as "before" (bench/.tmp A/B worktrees); module load 65.8 -> 36.7 ms, first invoke 32.5 -> 19.9 ms, bundle 483 -> 272 KiB. customer-opt-out 92.0 -> 60.0 (400 -> 189 KiB), order-index 131.3 -> 89.1 (733 -> 522 KiB); seat-digest, which keeps the SNS client and so @smithy/core, 94.7 -> 86.6. The adapters and their promises are unchanged: the whole integration suite runs them on this client against DynamoDB Local, with a parity test against the SDK (test/integration/lean-document-client.test.ts); the local stack uses it too, faults through its wire hook. layers/adapters/dynamodb/lean-document-client.ts.',
  },
  {
    lever:
      'SQS SendMessage and Secrets Manager GetSecretValue without the SDK in every function (dead letters, the phone-hash key, the deflection request): signed JSON requests',
    scope:
      'customer-opt-out, order-index, deflection-sms, fact-recorder, and every function that dead-letters or keys phones',
    beforeMs: 107.0,
    afterMs: 68.8,
    kept: true,
    note: "customer-opt-out, wall ms over a bare node to the end of the first invoke, medians of 11 interleaved samples (load ~2), the same tree with only these modules swapped back (bench/.tmp/h2/ab.ts); CPU 122.3 -> 85.0 ms, bundle 401 -> 189 KiB. order-index 136.6 -> 102.7 (CPU 155.3 -> 118.3, 734 -> 521 KiB), deflection-sms 103.8 -> 74.1 (CPU 106.0 -> 76.6, 482 -> 310 KiB). A first invoke that dead-letters a malformed event: customer-opt-out CPU 160 -> 96 ms, fact-recorder 137 -> 91 ms (load 5-7). Same message bodies and attributes (byte-identical to the SDK's, checked), the body's MD5 checked as the SDK checks it. layers/adapters/signed-json/sqs.ts, secrets-manager.ts.",
  },
  {
    lever: 'EventBridge PutEvents without the SDK in every function: one signed AWS JSON 1.1 request',
    scope: 'cart-callbacks, order-sms, overflow-controller, seat-sweeper, callback-sweeper',
    beforeMs: 181.8,
    afterMs: 150.2,
    kept: true,
    note: 'cart-callbacks, valgrind instruction counts of one cold start plus first invoke (818 -> 676 M instructions at about 4.5 M per ms, so ms of CPU; load ~4), the same tree with getPutEvents() switched back to the SDK client as "before"; bundle 464 -> 283 KiB: EventBridge was its last SDK client. Where another SDK client stays the gain is EventBridge\'s own ~53 KiB only: order-sms 981 -> 942 M (-9 ms), seat-ttl-backstop 684 -> 665 M (-4 ms). The same entry put, a refused entry still an error; the local stack\'s bus answers the same client in-process through its wire hook. layers/adapters/eventbridge/lean-put-events.ts.',
  },
  {
    lever:
      'SNS Publish without the SDK in every function: one signed request of the AWS query protocol (form body, XML answer read by a small strict reader), one attempt, 1 s / 5 s deadlines',
    scope:
      'order-sms, sms-release, deflection-sms-sender, callback-sweeper, seat-digest, overflow-controller',
    beforeMs: 170,
    afterMs: 130,
    kept: true,
    note: 'order-sms, CPU ms of one cold start with its first invoke, medians of 9 interleaved samples (loaded machine), the same tree with Publish through the SDK client as "before"; valgrind 890 -> 753 M instructions, bundle 686 -> 514 KiB. sms-release 577 -> 479 M (299 -> 127 KiB), deflection-sms-sender 723 -> 577 M (532 -> 361 KiB), seat-digest 681 -> 541 M (326 -> 154 KiB). The adapters take a port (sns/publish.ts); their unit tests still assert the exact PublishCommand inputs with aws-sdk-client-mock through the SDK carrier, and a parity test holds the lean request, answer and errors to the SDK client\'s. layers/adapters/sns/lean-publish.ts, signed-json/aws-query-protocol.ts.',
  },
  {
    lever:
      "Connect without the SDK in every function: the adapters send our own commands (connect-commands.ts) through LeanConnectClient, each one signed REST-JSON request laid out from the SDK's model",
    scope:
      'payment-issues, seat-sweeper, seat-ttl-backstop, overflow-controller, callback-sweeper, monthly-report',
    beforeMs: 128,
    afterMs: 71,
    kept: true,
    note: "payment-issues, wall ms over `node -e 0`, three interleaved `npm run bench:cold` runs per side (load ~0.9), the same tree with and without the change; valgrind 880 -> 638 M instructions, bundle 565 -> 193 KiB. overflow-controller ~110 -> ~82 ms (987 -> 763 M, 657 -> 437 KiB), callback-sweeper ~148 -> ~102 ms (941 -> 772 M), seat-sweeper 668 -> 420 M (459 -> 89 KiB), seat-ttl-backstop 465 -> 94 KiB, monthly-report 222 KiB less. The adapters' unit tests still assert the exact SDK command inputs with aws-sdk-client-mock (through the SDK carrier, or a fake that reads each lean request back into the SDK's command); a parity test sends every operation through both. layers/adapters/connect/lean-connect-client.ts, signed-json/rest-json-protocol.ts.",
  },
  {
    lever:
      'S3 PutObject without the SDK: one signed PUT (virtual-hosted on AWS, path style on an endpoint override), three attempts',
    scope: 'overflow-controller (the public status document), monthly-report (the report files)',
    beforeMs: 709 / 4.5,
    afterMs: 542 / 4.5,
    kept: true,
    note: "overflow-controller, valgrind instructions of one cold start with its first invoke (709 -> 542 M, 3 runs each, the same tree with PutObject shimmed back to the SDK's S3Client), shown as ms of CPU at ~4.5 M instructions a ms; bundle 414 -> 109 KiB, module load ~60 -> ~22 ms (bench:cold, interleaved, load ~4.5). monthly-report 2330 -> 2077 M, 1188 -> 880 KiB. layers/adapters/s3/lean-put-object.ts.",
  },
  {
    lever:
      "Event contracts on zod/mini instead of classic zod (events/schemas/*, the fact recorder's schemas)",
    scope:
      'order-sms, order-index, cart-callbacks, customer-opt-out, fact-recorder, payment-issues, monthly-report',
    beforeMs: 406 / 4.5,
    afterMs: 338 / 4.5,
    kept: true,
    note: 'fact-recorder, valgrind instructions of one cold start with its first invoke (406 -> 338 M, 2 runs averaged, A/B of the same tree), shown as ms of CPU at ~4.5 M instructions a ms; bundle 272 -> 211 KiB (zod 103 -> 43 KiB). customer-opt-out 368 -> 318 M (188 -> 128 KiB), order-index 592 -> 539 M (521 -> 461 KiB). The same events accepted and refused with the same messages and paths (a differential run over ~93,000 mutated events and facts against classic), the same inferred types, byte-identical JSON Schema; English messages set in events/schemas/zod.ts as classic sets them. Synth, the CLIs and the local stack keep classic zod.',
  },
  {
    lever:
      "Charts from ECharts' tree-shaking entry points (echarts/core with the line and bar series, title, legend, grid, mark line and area, the SVG renderer) instead of the whole library",
    scope: "monthly-report (and the CLIs' reports)",
    beforeMs: 388,
    afterMs: 287,
    kept: true,
    note: 'monthly-report, module load ms, mean of 2 alternating `npm run bench:cold -- --samples 5` runs per side on a loaded machine (load ~6.5; wall figures too noisy there to read); bundle 2091 -> 1472 KiB. The SVG written is byte-identical for line, stacked-bar, two-axis, target-line and band charts (rendered before and after, compared). cli/report/charts.ts.',
  },
  {
    lever:
      "monthly-report: the report's day loops without luxon where no zone is involved (the next day and the facts' UTC partitions as UTC calendar arithmetic), each day's midnight in the shop's zone once per range instead of once per queue and day, each day's label formatted once per page instead of once per chart and table row",
    scope: 'monthly-report (and `peakline report`)',
    beforeMs: 2014 / 4.5,
    afterMs: 1797 / 4.5,
    kept: true,
    note: "valgrind instructions of one cold start with its first invoke (2014 -> 1797 M, 2 runs each, the same tree with days.ts, routing-minutes.ts, facts.ts and kpi-html.ts as before), shown as ms of CPU at ~4.5 M instructions a ms. Each step measured alone: the midnights -100 M (a month of four queues asked luxon 248 times), the next day -87 M, the labels -31 M (186 luxon parses for the chart axes alone), the partitions -12 M. Luxon's first steps run cold, ~0.1 ms each. The same report byte for byte: sha256 of the HTML (pl, en), CSV and SVG of a seeded month and a 3-day range, of the monthly run's two files and of 8 chart specs, before and after; nextDay checked against luxon on 474k days (invalid ones too), the partitions on 20k random ranges. layers/core/reporting/days.ts, routing-minutes.ts, facts.ts, cli/report/kpi-html.ts.",
  },
  {
    lever:
      'monthly-report: its log line and ReportsWritten count written by hand (layers/adapters/logging/json-lines.ts) instead of Powertools Logger, Metrics and middy',
    scope: 'monthly-report',
    beforeMs: 1850 / 4.5,
    afterMs: 1797 / 4.5,
    kept: true,
    note: 'valgrind instructions of one cold start with its first invoke (1850 -> 1797 M, 2 runs each, the same tree with the handler as before), shown as ms of CPU at ~4.5 M instructions a ms; bundle 848 -> 809 KiB. The same line and EMF shape as order-status writes them (namespace peakline, dimensions service and stage), which the ops dashboard reads. functions/monthly-report/handler.ts.',
  },
  {
    lever:
      "ECharts' grid without the axis pointer (GridSimpleComponent) and the plain legend (LegendPlainComponent), and no zrender animation loop on the server",
    scope: "monthly-report (and the CLIs' reports)",
    beforeMs: 1811 / 4.5,
    afterMs: 1797 / 4.5,
    kept: true,
    note: "valgrind instructions of one cold start with its first invoke (1811 -> 1797 M, 2 runs each, the same tree with charts.ts as before), shown as ms of CPU at ~4.5 M instructions a ms; bundle 841 -> 809 KiB; SVG byte-identical (the sha256 check above). The loop: ECharts' SSR instance still starts zrender's requestAnimationFrame polyfill on every refresh, a 16 ms timer per chart that fires once the page is written and does nothing; bench/cold-start-child.mjs counted those 7 timers as pacing (124 ms 'of which pacing' while the report made exactly one Connect call, which the pacer never delays), so the figure then set ~124 ms of chart drawing aside. Dropped: one ECharts instance for all charts (init + dispose cost 0.2-0.4 ms a chart, and each SVG's clip-path ids carry its instance's number: one instance gives every chart on the page the same ids). What is left is ECharts itself: its load ~33 ms and the 7 charts ~118 ms (the first 46 ms, cold code), ~150 ms of the function's ~270 ms over node (cli/report/charts.ts alone in a bundle, 9 samples, load ~1.5).",
  },
  {
    lever:
      'Reading an event into a fact (factOf, the detail schemas) apart from the facts and their figures (layers/core/reporting/fact-events.ts), so the report never loads the event schemas',
    scope: 'monthly-report',
    beforeMs: 1805 / 4.5,
    afterMs: 1760 / 4.5,
    kept: true,
    note: "valgrind instructions of one cold start with its first invoke (1805 -> 1760 M, 2 runs each, the same tree with facts.ts as before), shown as ms of CPU at ~4.5 M instructions a ms; bundle 809 -> 778 KiB. facts.ts was monthly-report's only path to '#events/index.js', whose schemas are built when it loads: a bundle of luxon alone loads in ~5 ms, with the event schemas ~19-22 ms (zod/mini alone +2 ms). The fact recorder imports both modules, unchanged.",
  },
  {
    lever: "monthly-report: the page's and the CSV's PutObject side by side instead of one after the other",
    scope: 'monthly-report',
    beforeMs: 21.4,
    afterMs: 18.0,
    kept: true,
    note: 'ms of the first invoke spent writing the two files (timed inside run.ts in a throwaway build, medians of 7, two alternating runs per side: 21.1 and 21.7 -> 17.6 and 18.3 ms; load ~3.4). Not visible in the whole figure on this machine (it swings ~50 ms); on AWS it saves about one round trip to S3. Same objects, same keys and headers. functions/monthly-report/run.ts.',
  },
  {
    lever:
      "SMS outcomes announced first (a batch's facts in one PutEvents call), then recorded once: a small settled item where the bus took the fact, the pending item with the fact only where it did not; before, every outcome was written pending (the whole fact, into the sweeper's index), announced, then written again settled",
    scope: 'order-sms, sms-release, deflection-sms-sender (DynamoDB Local CPU per SMS event)',
    beforeMs: 2.99,
    afterMs: 2.27,
    kept: true,
    note: "Not a cold start: DynamoDB Local's JVM CPU ms per SMS event (from /proc), the SMS path's bench with 3 warm-up rounds then 4 measured, the mean of the rounds (2.84-3.36 -> 1.94-2.58), measured before the change on the old tree, with the new write's shape simulated in the client (the settle not sent, the index attributes left out of the one write: bench/.tmp/diag/sms-cpu.ts, load ~4); the rate ratio's median 0.35 -> 0.43 in the same runs. BatchWriteItem 0.23 -> 0.11 per event. The promises are the same (no SMS twice, no announced fact lost, an unrecorded outcome said unknown), tested at the new crash point on DynamoDB Local. layers/core/sms/order-sms.ts (flushOutcomes), layers/adapters/dynamodb/order-ledger.ts, layers/adapters/eventbridge/event-publisher.ts (publishAll).",
  },
  {
    lever:
      "The ledger's claim writes the rank and the attempt only (no lastStatus and lastAt, which nothing read)",
    scope: 'order-sms (DynamoDB Local CPU per claim)',
    beforeMs: 1.48,
    afterMs: 0.98,
    kept: true,
    note: "Not a cold start: DynamoDB Local's JVM CPU ms per claim, the SMS path's bench with everything but the claims answered in process (claims only), 8 warm-up rounds then 4 measured, two runs on a loaded machine; the raw put in the same runs took 0.96 and 0.73 ms, so per raw put's worth 1.55 -> 1.34 (about 14% less). layers/adapters/dynamodb/order-ledger.ts.",
  },
];

const ms = (n: number) => n.toFixed(1);

export const leversTable = (levers: readonly Lever[]): string[] => [
  '| lever | scope | before | after | effect | kept | why |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...levers.map(
    (l) =>
      `| ${l.lever} | ${l.scope} | ${ms(l.beforeMs)} ms | ${ms(l.afterMs)} ms | ${l.afterMs <= l.beforeMs ? '−' : '+'}${ms(Math.abs(l.beforeMs - l.afterMs))} ms | ${l.kept ? 'yes' : 'no'} | ${l.note.replaceAll('|', '\\|')} |`,
  ),
];

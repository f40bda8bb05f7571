/**
 * The KPI report's words and number formats in Polish and English (`reports.locale`, `--lang`). Names that
 * come from data (an SMS kind, a suppression reason) are translated where peakline knows them and shown as
 * they are otherwise, so a new reason still shows up rather than vanishing.
 */
import { DateTime } from 'luxon';
import type { Channel } from '#core/ports.js';
import type { SeatType } from '#core/seats/seat.js';

export const REPORT_LANGUAGES = ['pl', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export interface KpiWords {
  readonly locale: string;
  readonly title: string;
  readonly period: (from: string, to: string | undefined, zone: string) => string;
  readonly sources: string;
  readonly footer: (generatedAt: string) => string;
  readonly chapters: {
    readonly summary: string;
    readonly daily: string;
    readonly routing: string;
    readonly sms: string;
    readonly callbacks: string;
    readonly seats: string;
    readonly definitions: string;
    readonly appendix: string;
  };
  readonly facts: {
    readonly queued: string;
    readonly handled: string;
    readonly abandoned: string;
    readonly serviceLevel: string;
    readonly target: (target: string, seconds: number) => string;
    readonly asa: string;
    readonly aht: string;
    readonly maxWait: string;
    readonly smsSent: string;
    readonly smsCost: (parts: string) => string;
    readonly callbacksConverted: string;
    readonly convertedValue: (value: string) => string;
    readonly seatDays: string;
    readonly overflow: string;
    readonly overflowNote: (deflect: string) => string;
    readonly ofQueued: (abandoned: string, queued: string) => string;
    readonly customersOnly: string;
  };
  readonly columns: {
    readonly queue: string;
    readonly channel: string;
    readonly day: string;
    readonly queued: string;
    readonly handled: string;
    readonly abandoned: string;
    readonly abandonmentRate: string;
    readonly serviceLevel: (seconds: number) => string;
    readonly asa: string;
    readonly aht: string;
    readonly maxWait: string;
    readonly kind: string;
    readonly sent: string;
    readonly suppressed: string;
    readonly parts: string;
    readonly cost: string;
    readonly reason: string;
    readonly count: string;
    readonly status: string;
    readonly scheduled: string;
    readonly created: string;
    readonly cancelled: string;
    readonly converted: string;
    readonly conversionRate: string;
    readonly convertedValue: string;
    readonly seatType: string;
    readonly seatDays: string;
    readonly stateAtStart: string;
    readonly changes: string;
    readonly overflowTime: string;
    readonly deflectTime: string;
  };
  readonly total: string;
  readonly allQueues: string;
  readonly allChannels: string;
  readonly charts: {
    readonly serviceLevel: (seconds: number) => string;
    readonly target: string;
    readonly volume: string;
    readonly asa: string;
    readonly seconds: string;
    readonly contacts: string;
    readonly minutes: string;
    readonly overflowBand: string;
    readonly overflowPerDay: string;
    readonly smsPerDay: string;
    readonly callbacksPerDay: string;
    readonly seatDays: string;
    readonly days: string;
  };
  readonly captions: {
    readonly perQueue: string;
    readonly serviceLevel: string;
    readonly volume: string;
    readonly asa: string;
    readonly routing: string;
    readonly smsByKind: string;
    readonly smsByReason: string;
    readonly smsByStatus: string;
    readonly callbacks: string;
    readonly callbacksCancelled: string;
    readonly seats: (until: string) => string;
    readonly appendix: string;
  };
  readonly none: string;
  readonly channel: Readonly<Record<Channel, string>>;
  readonly queue: Readonly<Record<string, string>>;
  readonly seatType: Readonly<Record<SeatType, string>>;
  readonly state: Readonly<Record<string, string>>;
  /** SMS kinds, order statuses and suppression reasons. */
  readonly names: Readonly<Record<string, string>>;
  /** Why a callback was cancelled. */
  readonly cancelReasons: Readonly<Record<string, string>>;
  /** The definitions on the page: term and its explanation. */
  readonly definitions: (settings: {
    readonly serviceLevelSeconds: number;
    readonly serviceLevelTarget: string;
    readonly smsPrice: string;
    readonly timeZone: string;
  }) => readonly { readonly term: string; readonly text: string }[];
}

const PL: KpiWords = {
  locale: 'pl-PL',
  title: 'Raport KPI obsługi klienta',
  period: (from, to, zone) =>
    to === undefined
      ? `Dzień: ${from} (strefa ${zone})`
      : `Okres: ${from} – ${to} (dni według strefy ${zone})`,
  sources:
    'Źródła: Amazon Connect (GetMetricDataV2, dzień po dniu) oraz własne dane peakline: SMS, oddzwonienia, stanowiska sezonowe i przełączenia kolejek.',
  footer: (at) => `Przygotowane przez peakline ${at}.`,
  chapters: {
    summary: 'W skrócie',
    daily: 'Dzień po dniu',
    routing: 'Przeciążenie: druga linia i odciążanie',
    sms: 'SMS',
    callbacks: 'Oddzwonienia w sprawie porzuconych koszyków',
    seats: 'Stanowiska sezonowe',
    definitions: 'Jak liczymy wskaźniki',
    appendix: 'Załącznik: dane dzienne według kolejki i kanału',
  },
  facts: {
    queued: 'Kontakty w kolejce',
    handled: 'Obsłużone',
    abandoned: 'Porzucone',
    serviceLevel: 'Poziom obsługi',
    target: (target, seconds) => `cel ${target} w ${seconds} s`,
    asa: 'Średni czas do odebrania',
    aht: 'Średni czas obsługi',
    maxWait: 'Najdłuższe oczekiwanie',
    smsSent: 'Wysłane SMS',
    smsCost: (parts) => `${parts} części`,
    callbacksConverted: 'Oddzwonienia zakończone zamówieniem',
    convertedValue: (value) => `wartość koszyków ${value}`,
    seatDays: 'Dni stanowisk sezonowych',
    overflow: 'Czas przelewania do drugiej linii',
    overflowNote: (deflect) => `odciążanie (DEFLECT): ${deflect}`,
    ofQueued: (abandoned, queued) => `${abandoned} z ${queued} kontaktów w kolejce`,
    customersOnly:
      'Rozmowy i czaty, czyli kontakty, na które klienci czekają; zadania (oddzwonienia, płatności) są w tabeli poniżej.',
  },
  columns: {
    queue: 'Kolejka',
    channel: 'Kanał',
    day: 'Dzień',
    queued: 'W kolejce',
    handled: 'Obsłużone',
    abandoned: 'Porzucone',
    abandonmentRate: '% porzuceń',
    serviceLevel: (s) => `Poziom obsługi ${s} s`,
    asa: 'Śr. do odebrania',
    aht: 'Śr. obsługa',
    maxWait: 'Najdłużej',
    kind: 'Rodzaj',
    sent: 'Wysłane',
    suppressed: 'Wstrzymane',
    parts: 'Części',
    cost: 'Koszt (US$)',
    reason: 'Powód',
    count: 'Liczba',
    status: 'Status zamówienia',
    scheduled: 'Zaplanowane',
    created: 'Zadania dla konsultantów',
    cancelled: 'Anulowane',
    converted: 'Zakończone zamówieniem',
    conversionRate: 'Skuteczność',
    convertedValue: 'Wartość koszyków',
    seatType: 'Rodzaj stanowiska',
    seatDays: 'Dni stanowisk',
    stateAtStart: 'Stan na początku',
    changes: 'Zmiany stanu',
    overflowTime: 'Przelewanie (OVERFLOW)',
    deflectTime: 'Odciążanie (DEFLECT)',
  },
  total: 'Razem',
  allQueues: 'wszystkie kolejki',
  allChannels: 'wszystkie kanały',
  charts: {
    serviceLevel: (s) => `Poziom obsługi (odebrane w ${s} s) według kanału`,
    target: 'cel',
    volume: 'Kontakty dziennie: obsłużone i porzucone',
    asa: 'Średni czas do odebrania według kanału',
    seconds: 's',
    contacts: 'kontakty',
    minutes: 'min',
    overflowBand: 'przeciążenie',
    overflowPerDay: 'Minuty przelewania i odciążania dziennie',
    smsPerDay: 'SMS dziennie',
    callbacksPerDay: 'Oddzwonienia dziennie',
    seatDays: 'Dni stanowisk według rodzaju',
    days: 'dni',
  },
  captions: {
    perQueue: 'Wszystkie kolejki i kanały w okresie',
    serviceLevel: 'Zacienione dni: co najmniej jedna kolejka była przeciążona (OVERFLOW lub DEFLECT).',
    volume: 'Wszystkie kolejki i kanały razem.',
    asa: 'Średnia ważona liczbą obsłużonych kontaktów.',
    routing: 'Czas w stanach OVERFLOW i DEFLECT według kolejki',
    smsByKind: 'SMS według rodzaju',
    smsByReason: 'Wstrzymane SMS według powodu',
    smsByStatus: 'Wysłane SMS o statusie zamówienia',
    callbacks: 'Oddzwonienia w okresie',
    callbacksCancelled: 'Anulowane oddzwonienia według powodu',
    seats: (until) => `Stanowiska liczone do ${until}, także odwołane i zakończone.`,
    appendix: 'Jeden wiersz na dzień, kolejkę i kanał, tak jak podał Amazon Connect',
  },
  none: 'Brak w tym okresie.',
  channel: { VOICE: 'Głos', CHAT: 'Czat', TASK: 'Zadania' },
  queue: {
    primary: 'Pierwsza linia',
    secondLine: 'Druga linia',
    callback: 'Oddzwonienia',
    accounting: 'Księgowość',
  },
  seatType: {
    voice: 'Głos',
    'chat-2': 'Czat (2 naraz)',
    'chat-4': 'Czat (4 naraz)',
    'chat-6': 'Czat (6 naraz)',
    light: 'Lekki (tylko zadania)',
    'second-line': 'Druga linia',
  },
  state: { NORMAL: 'normalny', OVERFLOW: 'przelewanie', DEFLECT: 'odciążanie' },
  names: {
    'order-confirmation': 'Potwierdzenie zamówienia',
    status: 'Status zamówienia',
    'order-placed': 'Potwierdzenie zamówienia',
    'order-packed': 'Zamówienie spakowane',
    'order-shipped': 'Zamówienie wysłane',
    'order-out-for-delivery': 'Kurier w drodze',
    'order-delivered': 'Zamówienie doręczone',
    'order-delayed': 'Opóźnienie',
    'order-cancelled': 'Zamówienie anulowane',
    deflection: 'Link zamiast czekania',
    'saved-cart': 'Zapisany koszyk',
    'invalid-phone': 'błędny numer',
    'not-mobile': 'numer nie jest komórkowy',
    'no-consent': 'brak zgody',
    'opted-out': 'klient zrezygnował z SMS',
    'status-regression': 'status starszy niż wysłany',
    superseded: 'zastąpiony nowszym',
    'delay-updates-exhausted': 'limit informacji o opóźnieniu',
    'daily-cap-reached': 'dzienny limit SMS',
    PACKED: 'spakowane',
    SHIPPED: 'wysłane',
    OUT_FOR_DELIVERY: 'w doręczeniu',
    DELIVERED: 'doręczone',
    DELAYED: 'opóźnione',
    CANCELLED: 'anulowane',
    PLACED: 'złożone',
  },
  cancelReasons: {
    'order-placed': 'klient złożył zamówienie',
    'replaced-by-sms': 'zastąpione SMS-em z koszykiem',
    'opted-out': 'klient zrezygnował',
    expired: 'wygasło',
    'task-failed': 'nie udało się utworzyć zadania',
  },
  definitions: ({ serviceLevelSeconds: x, serviceLevelTarget, smsPrice, timeZone }) => [
    {
      term: 'Dzień',
      text: `Doba kalendarzowa w strefie ${timeZone}, od północy do północy; w dniu zmiany czasu ma 23 lub 25 godzin.`,
    },
    {
      term: 'Kontakty w kolejce',
      text: 'Kontakty, które trafiły do kolejki (CONTACTS_QUEUED). Kontakt przełączony do innej kolejki liczy się w obu.',
    },
    {
      term: 'Obsłużone',
      text: 'Kontakty, z którymi połączył się konsultant (CONTACTS_HANDLED).',
    },
    {
      term: 'Porzucone i % porzuceń',
      text: 'Kontakty rozłączone przez klienta w kolejce (CONTACTS_ABANDONED), bez kontaktów czekających na oddzwonienie; % porzuceń = porzucone ÷ kontakty w kolejce. Liczą się wszystkie porzucenia, także po kilku sekundach.',
    },
    {
      term: `Poziom obsługi ${x} s`,
      text: `Wskaźnik SERVICE_LEVEL z Amazon Connect z progiem „mniej niż ${x} s”: kontakty zdjęte z kolejki (odebrane przez konsultanta lub porzucone przez klienta) w ciągu ${x} s od wejścia ÷ kontakty w kolejce (Amazon Connect Administrator Guide, „Historical metrics definitions”). Krótkie porzucenia nie są wyłączane: klient, który rozłączył się przed upływem ${x} s, liczy się jako obsłużony w czasie, a później — jako niedotrzymany. Cel: ${serviceLevelTarget}. Dla kilku dni: średnia z dni ważona liczbą kontaktów w kolejce, czyli dokładnie poziom tych dni razem.`,
    },
    {
      term: 'Średni czas do odebrania (ASA)',
      text: 'AVG_QUEUE_ANSWER_TIME: średni czas w kolejce kontaktów odebranych. Dla okresu: średnia dni ważona liczbą obsłużonych, nigdy średnia średnich.',
    },
    {
      term: 'Średni czas obsługi (AHT)',
      text: 'AVG_HANDLE_TIME: rozmowa, wstrzymanie i praca po kontakcie. Dla okresu: średnia ważona liczbą obsłużonych.',
    },
    {
      term: 'Najdłuższe oczekiwanie',
      text: 'MAX_QUEUED_TIME: najdłuższy czas, jaki kontakt spędził w kolejce; dla okresu — największy z dni.',
    },
    {
      term: 'SMS i koszt',
      text: `Wysłane SMS przyjęte przez SNS; wstrzymane — nie wysłane z podanego powodu. Koszt = części (segmenty) × ${smsPrice} US$ za część (reports.smsPricePerPartUSD), bez opłat operatorów.`,
    },
    {
      term: 'Oddzwonienia i skuteczność',
      text: 'Zaplanowane po porzuceniu koszyka; zadania — przekazane konsultantom; anulowane według powodu. Skuteczność = oddzwonienia, po których klient zamówił koszyk ÷ zadania utworzone tego dnia.',
    },
    {
      term: 'Dni stanowisk',
      text: 'Czas od początku umowy (lub początku okresu) do jej końca, odwołania albo teraz, w dobach po 24 h, według rodzaju stanowiska.',
    },
    {
      term: 'Przelewanie i odciążanie',
      text: 'Minuty, w których kolejka była w stanie OVERFLOW (część dzwoniących do drugiej linii) lub DEFLECT (proponowany link lub oddzwonienie zamiast czekania), z dziennika zmian stanu; stan na początku okresu to stan po ostatniej zmianie przed nim.',
    },
  ],
};

const EN: KpiWords = {
  locale: 'en-GB',
  title: 'Customer service KPI report',
  period: (from, to, zone) =>
    to === undefined ? `Day: ${from} (${zone})` : `Period: ${from} – ${to} (days in ${zone})`,
  sources:
    "Sources: Amazon Connect (GetMetricDataV2, day by day) and peakline's own data: SMS, callbacks, seasonal seats and queue state changes.",
  footer: (at) => `Made by peakline on ${at}.`,
  chapters: {
    summary: 'At a glance',
    daily: 'Day by day',
    routing: 'Overload: second line and deflection',
    sms: 'SMS',
    callbacks: 'Abandoned-cart callbacks',
    seats: 'Seasonal seats',
    definitions: 'How the KPIs are counted',
    appendix: 'Appendix: daily figures per queue and channel',
  },
  facts: {
    queued: 'Contacts queued',
    handled: 'Handled',
    abandoned: 'Abandoned',
    serviceLevel: 'Service level',
    target: (target, seconds) => `target ${target} within ${seconds} s`,
    asa: 'Average speed of answer',
    aht: 'Average handle time',
    maxWait: 'Longest wait',
    smsSent: 'SMS sent',
    smsCost: (parts) => `${parts} parts`,
    callbacksConverted: 'Callbacks that ended in an order',
    convertedValue: (value) => `cart value ${value}`,
    seatDays: 'Seasonal seat-days',
    overflow: 'Time overflowing to the second line',
    overflowNote: (deflect) => `deflecting (DEFLECT): ${deflect}`,
    ofQueued: (abandoned, queued) => `${abandoned} of ${queued} contacts queued`,
    customersOnly:
      'Calls and chats: the contacts customers wait on; tasks (callbacks, payment issues) are in the table below.',
  },
  columns: {
    queue: 'Queue',
    channel: 'Channel',
    day: 'Day',
    queued: 'Queued',
    handled: 'Handled',
    abandoned: 'Abandoned',
    abandonmentRate: 'Abandoned %',
    serviceLevel: (s) => `Service level ${s} s`,
    asa: 'ASA',
    aht: 'AHT',
    maxWait: 'Longest',
    kind: 'Kind',
    sent: 'Sent',
    suppressed: 'Suppressed',
    parts: 'Parts',
    cost: 'Cost (US$)',
    reason: 'Reason',
    count: 'Count',
    status: 'Order status',
    scheduled: 'Scheduled',
    created: 'Tasks for agents',
    cancelled: 'Cancelled',
    converted: 'Ended in an order',
    conversionRate: 'Conversion',
    convertedValue: 'Cart value',
    seatType: 'Seat type',
    seatDays: 'Seat-days',
    stateAtStart: 'State at start',
    changes: 'Changes of state',
    overflowTime: 'Overflow (OVERFLOW)',
    deflectTime: 'Deflect (DEFLECT)',
  },
  total: 'Total',
  allQueues: 'all queues',
  allChannels: 'all channels',
  charts: {
    serviceLevel: (s) => `Service level (answered within ${s} s) per channel`,
    target: 'target',
    volume: 'Contacts per day: handled and abandoned',
    asa: 'Average speed of answer per channel',
    seconds: 's',
    contacts: 'contacts',
    minutes: 'min',
    overflowBand: 'overload',
    overflowPerDay: 'Minutes overflowing and deflecting per day',
    smsPerDay: 'SMS per day',
    callbacksPerDay: 'Callbacks per day',
    seatDays: 'Seat-days per seat type',
    days: 'days',
  },
  captions: {
    perQueue: 'Every queue and channel over the period',
    serviceLevel: 'Shaded days: at least one queue was overloaded (OVERFLOW or DEFLECT).',
    volume: 'All queues and channels together.',
    asa: 'Weighted by the contacts handled.',
    routing: 'Time in OVERFLOW and DEFLECT per queue',
    smsByKind: 'SMS by kind',
    smsByReason: 'Suppressed SMS by reason',
    smsByStatus: 'Order-status SMS sent',
    callbacks: 'Callbacks over the period',
    callbacksCancelled: 'Cancelled callbacks by reason',
    seats: (until) => `Seats counted up to ${until}, revoked and ended ones included.`,
    appendix: 'One row per day, queue and channel, as Amazon Connect reported them',
  },
  none: 'None in this period.',
  channel: { VOICE: 'Voice', CHAT: 'Chat', TASK: 'Tasks' },
  queue: { primary: 'Primary', secondLine: 'Second line', callback: 'Callbacks', accounting: 'Accounting' },
  seatType: {
    voice: 'Voice',
    'chat-2': 'Chat (2 at once)',
    'chat-4': 'Chat (4 at once)',
    'chat-6': 'Chat (6 at once)',
    light: 'Light (tasks only)',
    'second-line': 'Second line',
  },
  state: { NORMAL: 'normal', OVERFLOW: 'overflow', DEFLECT: 'deflect' },
  names: {
    'order-confirmation': 'Order confirmation',
    status: 'Order status',
    'order-placed': 'Order confirmation',
    'order-packed': 'Order packed',
    'order-shipped': 'Order shipped',
    'order-out-for-delivery': 'Out for delivery',
    'order-delivered': 'Order delivered',
    'order-delayed': 'Delay',
    'order-cancelled': 'Order cancelled',
    deflection: 'Link instead of waiting',
    'saved-cart': 'Saved cart',
    'invalid-phone': 'invalid number',
    'not-mobile': 'not a mobile number',
    'no-consent': 'no consent',
    'opted-out': 'customer opted out',
    'status-regression': 'older status than one sent',
    superseded: 'superseded',
    'delay-updates-exhausted': 'delay updates used up',
    'daily-cap-reached': 'daily SMS cap',
    PACKED: 'packed',
    SHIPPED: 'shipped',
    OUT_FOR_DELIVERY: 'out for delivery',
    DELIVERED: 'delivered',
    DELAYED: 'delayed',
    CANCELLED: 'cancelled',
    PLACED: 'placed',
  },
  cancelReasons: {
    'order-placed': 'the customer ordered',
    'replaced-by-sms': 'replaced by the saved-cart SMS',
    'opted-out': 'the customer opted out',
    expired: 'expired',
    'task-failed': 'the task could not be made',
  },
  definitions: ({ serviceLevelSeconds: x, serviceLevelTarget, smsPrice, timeZone }) => [
    {
      term: 'Day',
      text: `A calendar day in ${timeZone}, midnight to midnight; the days the clocks change have 23 or 25 hours.`,
    },
    {
      term: 'Contacts queued',
      text: 'Contacts put in a queue (CONTACTS_QUEUED). A contact transferred to another queue counts in both.',
    },
    { term: 'Handled', text: 'Contacts an agent was connected to (CONTACTS_HANDLED).' },
    {
      term: 'Abandoned and abandoned %',
      text: 'Contacts the customer disconnected while in the queue (CONTACTS_ABANDONED), callbacks in the queue excluded; abandoned % = abandoned ÷ contacts queued. Every abandon counts, a few seconds in too.',
    },
    {
      term: `Service level ${x} s`,
      text: `Amazon Connect's SERVICE_LEVEL with the threshold "less than ${x} s": contacts removed from the queue (answered by an agent or abandoned by the customer) within ${x} s of joining it ÷ contacts queued (Amazon Connect Administrator Guide, "Historical metrics definitions"). Short abandons are not excluded: a caller who hangs up before ${x} s counts as in time, one who hangs up later as missed. Target: ${serviceLevelTarget}. Over several days: the days' levels weighted by their contacts queued, which is exactly the level of the days together.`,
    },
    {
      term: 'Average speed of answer (ASA)',
      text: "AVG_QUEUE_ANSWER_TIME: the average time answered contacts waited in the queue. Over a period: the days' averages weighted by contacts handled, never the mean of daily means.",
    },
    {
      term: 'Average handle time (AHT)',
      text: 'AVG_HANDLE_TIME: talk, hold and after-contact work. Over a period: weighted by contacts handled.',
    },
    {
      term: 'Longest wait',
      text: "MAX_QUEUED_TIME: the longest any contact spent in the queue; over a period, the longest of the days'.",
    },
    {
      term: 'SMS and cost',
      text: `Sent: accepted by SNS; suppressed: not sent, for the reason shown. Cost = parts (segments) × US$ ${smsPrice} a part (reports.smsPricePerPartUSD), carrier fees aside.`,
    },
    {
      term: 'Callbacks and conversion',
      text: 'Scheduled after an abandoned cart; tasks: handed to agents; cancelled by reason. Conversion = callbacks whose cart was ordered after the task ÷ tasks created that day.',
    },
    {
      term: 'Seat-days',
      text: "From the contract's start (or the period's) to its end, revocation or now, in days of 24 hours, per seat type.",
    },
    {
      term: 'Overflow and deflect',
      text: 'Minutes a queue was in OVERFLOW (a share of callers sent to the second line) or DEFLECT (a link or a callback offered instead of waiting), from the log of state changes; the state at the start is the one after the last change before it.',
    },
  ],
};

export const WORDS: Readonly<Record<ReportLanguage, KpiWords>> = { pl: PL, en: EN };

/** Number formats of one language. */
export const formatsFor = (lang: ReportLanguage) => {
  const locale = WORDS[lang].locale;
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const axis = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  });
  const dash = '–';
  return {
    integer: (n: number) => integer.format(n),
    decimal: (n: number) => decimal.format(n),
    money: (n: number) => money.format(n),
    /** Amounts by currency, each with its code, never added across currencies: "54 200,00 PLN". */
    amounts: (values: Readonly<Record<string, number>>) => {
      const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
      return entries.length === 0
        ? money.format(0)
        : entries.map(([c, v]) => `${money.format(v)} ${c}`).join(' + ');
    },
    /** A chart axis' number: grouped as the language groups, up to one decimal. */
    axisNumber: (n: number) => axis.format(n),
    percent: (n: number | null) => (n === null ? dash : percent.format(n)),
    /** Seconds as "42 s" or "3 min 05 s". */
    seconds: (n: number | null) => {
      if (n === null) return dash;
      const whole = Math.round(n);
      if (whole < 60) return `${whole} s`;
      const h = Math.floor(whole / 3600);
      const m = Math.floor((whole % 3600) / 60);
      const s = whole % 60;
      return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
    },
    /** Minutes as "45 min" or "3 h 20 min". */
    minutes: (n: number) => {
      const whole = Math.round(n);
      if (whole < 60) return `${whole} min`;
      return `${Math.floor(whole / 60)} h ${String(whole % 60).padStart(2, '0')} min`;
    },
    /** A day as the charts' axis shows it. */
    shortDay: (day: string) =>
      DateTime.fromISO(day)
        .setLocale(locale)
        .toFormat(lang === 'pl' ? 'd.MM' : 'd MMM'),
    /** A day as a table shows it, with the weekday. */
    longDay: (day: string) =>
      DateTime.fromISO(day)
        .setLocale(locale)
        .toFormat(lang === 'pl' ? 'ccc d.MM.yyyy' : 'ccc d MMM yyyy'),
    /** A day in a table row: the weekday and the date, short. */
    tableDay: (day: string) =>
      DateTime.fromISO(day)
        .setLocale(locale)
        .toFormat(lang === 'pl' ? 'ccc d.MM' : 'ccc d MMM'),
    /** An instant on the shop's wall clock. */
    instant: (iso: string, zone: string) =>
      DateTime.fromISO(iso, { zone })
        .setLocale(locale)
        .toFormat(lang === 'pl' ? 'd.MM.yyyy HH:mm' : 'd MMM yyyy HH:mm'),
  };
};

export type KpiFormats = ReturnType<typeof formatsFor>;

/** A name from the data in the reader's language, or as it is when peakline does not know it. */
export const nameOf = (words: KpiWords, name: string): string => words.names[name] ?? name;

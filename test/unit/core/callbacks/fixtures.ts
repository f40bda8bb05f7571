/**
 * The cart-callback tests' world: events from the committed samples (parsed by the v1 schemas), the
 * stage's default settings, and recording ports. Shared by the unit and the integration tests.
 */
import { randomUUID } from 'node:crypto';
import { configCatalogue } from '#core/callbacks/catalogue.js';
import { InMemoryCallbackStore } from '#core/callbacks/memory-store.js';
import type { SavedCartSmsSettings } from '#core/callbacks/saved-cart-sms.js';
import { type CallbackDeps, type CallbackSettings, callbackSettingsFrom } from '#core/callbacks/settings.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { phoneHash } from '#core/phone.js';
import type {
  ContactCentre,
  EventPublisher,
  NewTask,
  OrderLedger,
  OutgoingSms,
  RoutingState,
  SmsSender,
} from '#core/ports.js';
import { type CartAbandoned, type OrderPlaced, shopDetailSchemas } from '#events/index.js';
import { configSchema } from '#infra/config/schema.js';
import { sampleEntries } from '#test/support/events.js';

/** The stage defaults (Mon-Fri 08-20, Sat 09-17, Europe/Warsaw, pl-PL), as `cdk synth` would see them. */
export const DEFAULT_CONFIG = configSchema.parse({});

export const SETTINGS: CallbackSettings = callbackSettingsFrom(DEFAULT_CONFIG, {
  callbackQueueId: 'callback',
});

export const CATALOGUE = configCatalogue({
  'ANKER-PD65-WHT': { sku: 'BASEUS-GAN5-65-WHT', name: 'Ładowarka Baseus GaN5 65 W, biała' },
});

const sampleDetail = (name: string, index = 0): unknown => {
  const entry = sampleEntries(name)[index];
  if (!entry) throw new Error(`no sample ${name}[${index}]`);
  return JSON.parse(entry.Detail);
};

/** A unique id per test, so the shared DynamoDB Local tables never mix tests. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * The sample cart (1678.88 PLN, one charger out of stock), abandoned on Wednesday 2026-11-25 at 10:00 in
 * Warsaw unless told otherwise, with a cart and customer of its own.
 */
export const cartEvent = (
  overrides: Partial<CartAbandoned> = {},
  customer: Partial<CartAbandoned['customer']> = {},
): CartAbandoned => {
  const sample = shopDetailSchemas.CartAbandoned.parse(sampleDetail('cart-abandoned'));
  return shopDetailSchemas.CartAbandoned.parse({
    ...sample,
    cartId: uniqueId('cart'),
    abandonedAt: '2026-11-25T10:00:00+01:00',
    ...overrides,
    customer: { ...sample.customer, customerId: uniqueId('C'), ...customer },
  });
};

export const orderPlaced = (cart: CartAbandoned, overrides: Partial<OrderPlaced> = {}): OrderPlaced =>
  shopDetailSchemas.OrderPlaced.parse({
    customer: cart.customer,
    orderId: uniqueId('PL'),
    cartId: cart.cartId,
    total: cart.total,
    placedAt: '2026-11-25T10:10:00+01:00',
    ...overrides,
  });

export interface MutableClock {
  now(): Date;
  set(iso: string | Date): void;
  advanceMinutes(minutes: number): void;
}

export const clockAt = (start: string): MutableClock => {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso) => {
      now = new Date(iso);
    },
    advanceMinutes: (minutes) => {
      now = new Date(now.getTime() + minutes * 60_000);
    },
  };
};

export interface Published {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

export const recordingEvents = (): EventPublisher & {
  readonly published: Published[];
  types(): string[];
} => {
  const published: Published[] = [];
  return {
    published,
    publish: async (detailType, detail) =>
      void published.push({ detailType, detail: structuredClone(detail) }),
    types: () => published.map((p) => p.detailType),
  };
};

/** The ledger's once-only record and daily counts, as the DynamoDB ledger keeps them. */
export const memoryLedger = (): Pick<OrderLedger, 'claimOnce' | 'addDailySegments'> & {
  readonly claimed: Set<string>;
} => {
  const claimed = new Set<string>();
  const daily = new Map<string, number>();
  return {
    claimed,
    claimOnce: async (key) => {
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
    addDailySegments: async (day, segments) => {
      const total = (daily.get(day) ?? 0) + segments;
      daily.set(day, total);
      return total;
    },
  };
};

export const recordingSender = (): SmsSender & { readonly sent: OutgoingSms[] } => {
  const sent: OutgoingSms[] = [];
  return { sent, send: async (sms) => (sent.push(sms), { messageId: `m-${sent.length}` }) };
};

/**
 * A contact centre that honours ClientToken as Connect does (the same token returns the same contact),
 * records every request, and can be told to fail the next calls.
 */
export const fakeContactCentre = (): Pick<ContactCentre, 'startTask'> & {
  readonly requests: NewTask[];
  readonly contacts: Map<string, NewTask>;
  failNext(error: Error, times?: number): void;
} => {
  const requests: NewTask[] = [];
  const byToken = new Map<string, string>();
  const contacts = new Map<string, NewTask>();
  const failures: Error[] = [];
  return {
    requests,
    contacts,
    failNext: (error, times = 1) => {
      for (let i = 0; i < times; i += 1) failures.push(error);
    },
    startTask: async (task) => {
      requests.push(task);
      const failure = failures.shift();
      if (failure) throw failure;
      const known = byToken.get(task.clientToken);
      if (known) return { contactId: known };
      const contactId = `contact-${contacts.size + 1}`;
      byToken.set(task.clientToken, contactId);
      contacts.set(contactId, task);
      return { contactId };
    },
  };
};

export const throttling = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });

export const SMS_SETTINGS: SavedCartSmsSettings = {
  shopName: 'Sklep Peak',
  segmentCap: 3,
  dailySegmentCap: 10_000,
  quietHours: { start: '21:00', end: '08:00' },
  fallbackTimeZone: 'Europe/Warsaw',
};

export interface WorldOptions {
  /** Default: Wednesday 2026-11-25, 10:00 in Warsaw, when the sample cart is abandoned. */
  readonly now?: string;
  readonly store?: CallbackStore;
  readonly routing?: RoutingState;
  readonly settings?: Partial<CallbackSettings>;
  /** Wire the saved-cart SMS path (it is used only with peakBehaviour 'sms'). */
  readonly sms?: boolean;
  readonly contactCentre?: Pick<ContactCentre, 'startTask'>;
}

/** Every port of the callbacks, recording, around the given (or an in-memory) store. */
export const world = (options: WorldOptions = {}) => {
  const clock = clockAt(options.now ?? '2026-11-25T09:00:00Z');
  const store = options.store ?? new InMemoryCallbackStore();
  const events = recordingEvents();
  const centre = fakeContactCentre();
  const ledger = memoryLedger();
  const sender = recordingSender();
  const suppressed = new Set<string>();
  const routing = { state: options.routing ?? ('NORMAL' as RoutingState), asked: [] as string[] };
  let tokens = 0;
  const deps: CallbackDeps = {
    clock,
    store,
    events,
    catalogue: CATALOGUE,
    suppression: { isSuppressed: async (hash) => suppressed.has(hash) },
    contactCentre: options.contactCentre ?? centre,
    routing: {
      stateOf: async (key) => {
        routing.asked.push(key);
        return routing.state;
      },
    },
    settings: { ...SETTINGS, ...options.settings },
    ...(options.sms ? { sms: { ledger, sender, settings: SMS_SETTINGS } } : {}),
    newToken: () => `lease-${(tokens += 1)}`,
  };
  return {
    deps,
    clock,
    store,
    events,
    centre,
    ledger,
    sender,
    routing,
    suppress: (phone: string) => suppressed.add(phoneHash(phone)),
  };
};

/**
 * The load the proof sends: shop events of every type, as a shop backend would put them, from a seeded
 * generator so a run can be replayed. Besides the entries, it keeps what the checks need to know: every
 * SMS-bearing fact (order, status) it emitted, the phones that opted out before the load, the carts that
 * were ordered, and the malformed events it sent on purpose.
 */
import { Random } from '#simulator/connect/random.js';

export interface ShopEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

export interface LoadPlan {
  /** CustomerOptedOut events sent, and processed, before the load: these phones must get no SMS after. */
  readonly optOuts: ShopEntry[];
  /** The load itself, duplicates and malformed events mixed in. */
  readonly entries: ShopEntry[];
  /** Each (order, status) the load carries in a valid event, as `orderId#STATUS`. */
  readonly facts: ReadonlySet<string>;
  /** Masked phones (`+48*****9123`) that opted out before the load. */
  readonly optedOutMasks: ReadonlySet<string>;
  /** Carts an OrderPlaced bought: no callback may be made for them. */
  readonly orderedCarts: ReadonlySet<string>;
  readonly malformed: number;
  readonly duplicates: { readonly sameEvent: number; readonly sameFactNewEvent: number };
  readonly byType: Readonly<Record<string, number>>;
}

export interface LoadPlanOptions {
  /** Events in the load (opt-outs sent before it not counted). */
  readonly events: number;
  readonly seed: number;
  /** Virtual time the load starts at: event times are set around it. */
  readonly startMs: number;
  readonly busName: string;
  readonly source: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Customers' phones end in 0000-8999; the ones that opt out before the load in 9000-9999, so a masked number tells them apart. */
const customerPhone = (i: number) => `+4860${pad(Math.floor(i / 9000) % 1000, 3)}${pad(i % 9000, 4)}`;
const optedOutPhone = (j: number) =>
  `+4869${pad(Math.floor(j / 1000) % 1000, 3)}${pad(9000 + (j % 1000), 4)}`;
export const maskOf = (phone: string) => `${phone.slice(0, 3)}*****${phone.slice(-4)}`;

/** Statuses an order walks through after PLACED, in the shop's order. */
const LIFECYCLE = ['PACKED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

export const planLoad = (options: LoadPlanOptions): LoadPlan => {
  const random = new Random(options.seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const entry = (DetailType: string, detail: Record<string, unknown>): ShopEntry => ({
    Source: options.source,
    DetailType,
    Detail: JSON.stringify(detail),
    EventBusName: options.busName,
  });
  const customer = (phone: string, i: number) => ({
    customerId: `C-${pad(i, 7)}`,
    phone,
    locale: i % 5 === 0 ? 'en-GB' : 'pl-PL',
    // A few customers live two hours behind: at the start their quiet hours have an hour and a half to go, so
    // their SMS are deferred and released during the run.
    timeZone: i % 50 === 0 ? 'Atlantic/Azores' : 'Europe/Warsaw',
    consent: { transactionalSms: i % 40 !== 0, marketingSms: i % 3 === 0, callback: true },
  });

  const optOutCount = Math.max(3, Math.min(1000, Math.round(options.events / 200)));
  // With consent, so that only their opt-out stands between them and an SMS.
  const optOutCustomers = Array.from({ length: optOutCount }, (_, j) => ({
    ...customer(optedOutPhone(j), 900_000 + j),
    consent: { transactionalSms: true, marketingSms: true, callback: true },
  }));
  const optOuts = optOutCustomers.map((c, j) =>
    entry('CustomerOptedOut', { customer: c, channel: 'sms', at: iso(options.startMs - 3_600_000 + j) }),
  );

  const entries: ShopEntry[] = [];
  const facts = new Set<string>();
  const orderedCarts = new Set<string>();
  const byType: Record<string, number> = {};
  const valid: ShopEntry[] = [];
  let malformed = 0;
  const duplicates = { sameEvent: 0, sameFactNewEvent: 0 };
  const push = (e: ShopEntry, kind: 'valid' | 'malformed' | 'duplicate') => {
    entries.push(e);
    byType[e.DetailType] = (byType[e.DetailType] ?? 0) + 1;
    if (kind === 'valid') valid.push(e);
  };

  let order = 0;
  let cart = 0;
  let t = options.startMs - 30 * 60_000;
  while (entries.length < options.events) {
    const roll = random.next();
    t += 50;
    // Shares of the load, not of the draws (an order brings several events): duplicates are kept at 10%
    // of what was sent so far, malformed events at 1%.
    const duplicatesSoFar = duplicates.sameEvent + duplicates.sameFactNewEvent;
    if (valid.length > 0 && duplicatesSoFar < 0.1 * entries.length && roll < 0.5) {
      // A duplicate: the same event again, or the same fact under a new event (re-stamped by a retry).
      const original = valid[random.int(valid.length)] as ShopEntry;
      if (random.next() < 0.5) {
        push(original, 'duplicate');
        duplicates.sameEvent += 1;
      } else {
        const detail = JSON.parse(original.Detail) as Record<string, unknown>;
        for (const field of ['placedAt', 'occurredAt', 'abandonedAt', 'reportedAt', 'at']) {
          if (typeof detail[field] === 'string')
            detail[field] = iso(Date.parse(detail[field] as string) + 1_000);
        }
        push(entry(original.DetailType, detail), 'duplicate');
        duplicates.sameFactNewEvent += 1;
      }
      continue;
    }
    if (malformed < 0.01 * entries.length && roll < 0.55) {
      // Malformed on purpose: an unknown status, or a phone that is no phone number.
      malformed += 1;
      const c = customer(customerPhone(order), order);
      push(
        random.next() < 0.5
          ? entry('OrderStatusChanged', {
              customer: c,
              orderId: `MALFORMED-${malformed}`,
              status: 'TELEPORTED',
              occurredAt: iso(t),
            })
          : entry('OrderPlaced', {
              customer: { ...c, phone: 'call me maybe' },
              orderId: `MALFORMED-${malformed}`,
              total: { amount: 10, currency: 'PLN' },
              placedAt: iso(t),
            }),
        'malformed',
      );
      continue;
    }
    if (roll < 0.13) {
      // A payment issue for an order.
      const i = order + 1;
      push(
        entry('PaymentIssueReported', {
          customer: customer(customerPhone(i), i),
          orderId: `LOAD-${pad(i, 6)}`,
          issue: 'PAYMENT_FAILED',
          amount: { amount: 99.5, currency: 'PLN' },
          note: 'BLIK odrzucony',
          reportedAt: iso(t),
        }),
        'valid',
      );
      continue;
    }
    if (roll < 0.135) {
      // An opt-out during the load (the customer keeps no orders here: the check is on the ones before).
      const i = 800_000 + entries.length;
      push(
        entry('CustomerOptedOut', { customer: customer(customerPhone(i), i), channel: 'sms', at: iso(t) }),
        'valid',
      );
      continue;
    }
    if (roll < 0.3) {
      // An abandoned cart; half are bought after all, the order sometimes arriving before the abandonment.
      cart += 1;
      const cartId = `cart-load-${pad(cart, 6)}`;
      const i = 500_000 + cart;
      const c = customer(customerPhone(i), i);
      const abandoned = entry('CartAbandoned', {
        customer: c,
        cartId,
        items: [
          {
            sku: 'ANKER-PD65-WHT',
            name: 'Ładowarka Anker 65 W',
            quantity: 1,
            unitPrice: { amount: 149.99, currency: 'PLN' },
            inStock: random.next() < 0.7,
          },
        ],
        total: { amount: 149.99, currency: 'PLN' },
        abandonedAt: iso(t - 20 * 60_000),
        recoveryUrl: `https://sklep.example.pl/koszyk/${cartId}`,
      });
      if (random.next() < 0.5) {
        push(abandoned, 'valid');
        continue;
      }
      order += 1;
      const orderId = `LOAD-${pad(order, 6)}`;
      orderedCarts.add(cartId);
      facts.add(`${orderId}#PLACED`);
      const placed = entry('OrderPlaced', {
        customer: c,
        orderId,
        cartId,
        total: { amount: 149.99, currency: 'PLN' },
        placedAt: iso(t),
      });
      const [first, second] = random.next() < 0.3 ? [placed, abandoned] : [abandoned, placed];
      push(first, 'valid');
      push(second, 'valid');
      continue;
    }
    // An order and its lifecycle: PLACED, then some of PACKED..DELIVERED, maybe DELAYED, maybe CANCELLED.
    order += 1;
    const orderId = `LOAD-${pad(order, 6)}`;
    // One order in 20 is by a customer who opted out before the load: those SMS are suppressed.
    const c =
      order % 20 === 0
        ? (optOutCustomers[Math.floor(order / 20) % optOutCustomers.length] as ReturnType<typeof customer>)
        : customer(customerPhone(order), order);
    push(
      entry('OrderPlaced', {
        customer: c,
        orderId,
        total: { amount: 59.9, currency: 'PLN' },
        placedAt: iso(t),
      }),
      'valid',
    );
    facts.add(`${orderId}#PLACED`);
    const steps = random.int(LIFECYCLE.length + 1);
    const statuses: string[] = [...LIFECYCLE.slice(0, steps)];
    if (steps >= 2 && random.next() < 0.15) statuses.splice(2, 0, 'DELAYED');
    if (steps <= 1 && random.next() < 0.1) statuses.push('CANCELLED');
    for (const [k, status] of statuses.entries()) {
      if (entries.length >= options.events) break;
      push(
        entry('OrderStatusChanged', {
          customer: c,
          orderId,
          status,
          occurredAt: iso(t + (k + 1) * 60_000),
          ...(status === 'SHIPPED'
            ? { carrier: 'InPost', trackingUrl: `https://inpost.pl/t/${orderId}` }
            : {}),
          // One estimate per order: a second DELAYED with a new estimate would be news, not a duplicate.
          ...(status === 'DELAYED' ? { estimatedDelivery: '2026-12-02', reason: 'weather' } : {}),
        }),
        'valid',
      );
      facts.add(`${orderId}#${status}`);
    }
  }
  // An order bought with its cart may end the load one event past `events`: both halves are kept.
  return {
    optOuts,
    entries,
    facts,
    optedOutMasks: new Set(optOutCustomers.map((c) => maskOf(c.phone))),
    orderedCarts,
    malformed,
    duplicates,
    byType,
  };
};

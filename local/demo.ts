/**
 * The bundled demo: a Black Friday evening compressed into minutes. Calls and chats rise past what the
 * agents on shift can take and fall back; the shop sends orders, status changes, abandoned carts, an
 * opt-out now and then, and a few malformed events, all through the same PutEvents path a shop backend
 * uses. Each feature shows its part as it lands (order SMS, callbacks, overflow), since the demo only
 * feeds the pipeline and never reaches around it.
 */
import type { ShopDetailType } from '#events/index.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import { Random } from '#simulator/connect/random.js';
import { arriveNoEarlierThanNow } from '#simulator/inbound-flow.js';

export interface DemoOptions {
  readonly simulator: ConnectSimulator;
  readonly putEvents: (request: { Entries: unknown[] }) => Promise<unknown>;
  readonly busName: string;
  readonly shopSource: string;
  /** Virtual start of the evening, epoch ms. */
  readonly startMs: number;
  /**
   * The inbound flow the demo's callers go through (the router, and the deflection menu in DEFLECT).
   * @default - straight into the primary queue
   */
  readonly inbound?: (call: { readonly at: number; readonly phone: string }) => Promise<unknown>;
  readonly seed?: number;
  /**
   * The share of callers who call from the phone of an order placed earlier in the demo (the order status
   * then tells them where it is, when it is still in progress and indexed).
   * @default ORDER_CALLER_SHARE
   */
  readonly orderCallerShare?: number;
}

/**
 * About a third of the demo's callers are customers of an order already placed. "Where is my order?" is the
 * most common reason to call an online shop in a peak, commonly put at a third to a half of the contacts;
 * the demo takes the cautious end, since a customer may call from another phone than the order's. Whether
 * such a caller is told anything is the pipeline's doing: the order must be in the index and in progress.
 */
export const ORDER_CALLER_SHARE = 0.35;

/** Staff on shift for the evening, by routing profile. */
export const DEMO_STAFF: Readonly<Record<string, number>> = {
  voice: 14,
  secondLine: 4,
  chat2: 3,
  chat4: 2,
  light: 2,
};

/** Peak rates per minute; the evening's shape scales them. */
const PEAK_PER_MINUTE = {
  calls: 4.5,
  chats: 2,
  orders: 12,
  statusChanges: 6,
  carts: 2,
  optOuts: 0.05,
  paymentIssues: 0.4,
};

/** What goes wrong with payments on a peak evening, for the light agents' accounting queue. */
const PAYMENT_ISSUES = ['PAYMENT_FAILED', 'REFUND_REQUESTED', 'CHARGEBACK', 'INVOICE_CORRECTION'] as const;

const HOUR = 3_600_000;

// Lives with the simulator's inbound flow now; exported here still for the demo's callers.
export { arriveNoEarlierThanNow };
const LOOK_AHEAD_MS = 10_000;

/**
 * The evening's shape, 0..1: quiet at 17:00, the rush from 19:00 to 20:30 (the Black Friday e-mail has
 * gone out, people are home), and back to quiet by 22:00.
 */
export const intensity = (sinceStartMs: number): number => {
  const h = sinceStartMs / HOUR;
  if (h < 0) return 0;
  if (h < 2) return 0.25 + 0.75 * (h / 2);
  if (h < 3.5) return 1;
  if (h < 5) return 1 - 0.8 * ((h - 3.5) / 1.5);
  return 0.2;
};

const LOCALES = [
  { locale: 'pl-PL', weight: 80 },
  { locale: 'en-GB', weight: 8 },
  { locale: 'ru-RU', weight: 6 },
  { locale: 'fi-FI', weight: 6 },
] as const;

const PRODUCTS = [
  { sku: 'TV-55-OLED', name: 'Telewizor OLED 55"', price: 3999 },
  { sku: 'HP-ANC-700', name: 'Słuchawki ANC 700', price: 899 },
  { sku: 'KB-MECH-TKL', name: 'Klawiatura mechaniczna TKL', price: 349 },
  { sku: 'SSD-2TB', name: 'Dysk SSD 2 TB', price: 529 },
  { sku: 'CAM-ACTION-4K', name: 'Kamera sportowa 4K', price: 1249 },
  { sku: 'WATCH-GPS', name: 'Zegarek sportowy GPS', price: 1099 },
] as const;

/** Polish mobile ranges, so the demo's customers can receive an SMS (a landline is suppressed). */
const MOBILE_PREFIXES = ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'] as const;

const STATUSES = ['PACKED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

export class Demo {
  private readonly random: Random;
  private lastMs: number;
  /** Contacts are planned ahead: the simulator takes arrivals from its now on, never in its past. */
  private contactsPlannedUntil: number;
  private orderNo = 0;
  private cartNo = 0;
  private readonly orders: { orderId: string; customer: Record<string, unknown>; next: number }[] = [];
  /**
   * Carts whose shopper comes back and buys, at a time drawn when the cart is abandoned: before its callback
   * is due (the order cancels it) or after the agent's task was made (the callback's conversion in
   * `peakline report`). Drawn from a generator of their own, so the rest of the demo plays as before.
   */
  private readonly cartOrders: {
    at: number;
    customer: Record<string, unknown>;
    cartId: string;
    total: number;
  }[] = [];
  private readonly cartRandom: Random;
  /** Which callers are customers with an order, and which order: a generator of their own, as for the carts. */
  private readonly orderCallerRandom: Random;
  private malformedSent = 0;

  constructor(private readonly options: DemoOptions) {
    this.random = new Random(options.seed ?? 1127);
    this.cartRandom = new Random((options.seed ?? 1127) + 1);
    this.orderCallerRandom = new Random((options.seed ?? 1127) + 2);
    this.lastMs = options.startMs;
    this.contactsPlannedUntil = options.startMs;
    for (const [profile, count] of Object.entries(DEMO_STAFF))
      options.simulator.setAgentsOnline(profile, count);
  }

  /** Plays the demo up to `nowMs`: contacts into the simulator, events onto the bus. */
  async advance(nowMs: number): Promise<void> {
    if (nowMs <= this.lastMs) return;
    const from = this.lastMs;
    this.lastMs = nowMs;
    const minutes = (nowMs - from) / 60_000;
    const scale = intensity(from - this.options.startMs);

    const planFrom = Math.max(this.contactsPlannedUntil, this.options.simulator.now);
    const planMinutes = (nowMs + LOOK_AHEAD_MS - planFrom) / 60_000;
    if (planMinutes > 0) {
      this.contactsPlannedUntil = nowMs + LOOK_AHEAD_MS;
      const planScale = intensity(planFrom - this.options.startMs);
      for (const at of this.arrivals(planFrom, planMinutes, PEAK_PER_MINUTE.calls * planScale)) {
        // Routed when planned, a few virtual seconds early: the routing state changes once a minute at most.
        if (this.options.inbound) {
          // The customer is drawn for every caller, so the draws after it stay those of the demo before.
          const phone = String(this.customer().phone);
          await this.options.inbound({ at, phone: this.orderCallerPhone() ?? phone });
        } else arriveNoEarlierThanNow(this.options.simulator, { channel: 'VOICE', queueId: 'primary', at });
      }
      for (const at of this.arrivals(planFrom, planMinutes, PEAK_PER_MINUTE.chats * planScale)) {
        arriveNoEarlierThanNow(this.options.simulator, { channel: 'CHAT', queueId: 'primary', at });
      }
    }

    const entries: unknown[] = [];
    const entry = (detailType: ShopDetailType | string, detail: unknown) =>
      entries.push({
        Source: this.options.shopSource,
        DetailType: detailType,
        Detail: JSON.stringify(detail),
        EventBusName: this.options.busName,
      });
    const iso = (ms: number) => new Date(ms).toISOString();

    for (const at of this.arrivals(from, minutes, PEAK_PER_MINUTE.orders * scale)) {
      const customer = this.customer();
      const orderId = `BF-${String(++this.orderNo).padStart(6, '0')}`;
      this.orders.push({ orderId, customer, next: 0 });
      entry('OrderPlaced', { customer, orderId, total: this.money(79, 2400), placedAt: iso(at) });
    }
    for (const at of this.arrivals(from, minutes, PEAK_PER_MINUTE.statusChanges * scale)) {
      const order = this.orders[this.random.int(this.orders.length)];
      if (!order || order.next >= STATUSES.length) continue;
      const status = STATUSES[order.next++];
      entry('OrderStatusChanged', {
        customer: order.customer,
        orderId: order.orderId,
        status,
        occurredAt: iso(at),
        ...(status === 'SHIPPED'
          ? {
              carrier: 'InPost',
              trackingUrl: `https://inpost.pl/sledzenie-przesylek?number=${order.orderId}`,
            }
          : {}),
      });
    }
    for (const at of this.arrivals(from, minutes, PEAK_PER_MINUTE.carts * scale)) {
      const items = [0, 1].map(() => PRODUCTS[this.random.int(PRODUCTS.length)] ?? PRODUCTS[0]);
      const total = items.reduce((sum, p) => sum + p.price, 0);
      const customer = this.customer();
      const cartId = `CART-${String(++this.cartNo).padStart(6, '0')}`;
      entry('CartAbandoned', {
        customer,
        cartId,
        items: items.map((p, i) => ({
          sku: p.sku,
          name: p.name,
          quantity: 1,
          unitPrice: { amount: p.price, currency: 'PLN' },
          inStock: i === 0 || this.random.next() > 0.4,
        })),
        total: { amount: total, currency: 'PLN' },
        abandonedAt: iso(at),
        recoveryUrl: `https://sklep.example.pl/koszyk/${this.cartNo}`,
      });
      // One shopper in four comes back for the cart within three hours.
      if (this.cartRandom.next() < 0.25) {
        const back = at + (10 + this.cartRandom.next() * 170) * 60_000;
        this.cartOrders.push({ at: back, customer, cartId, total });
      }
    }
    for (const order of this.cartOrders.filter((o) => o.at <= nowMs)) {
      this.cartOrders.splice(this.cartOrders.indexOf(order), 1);
      const orderId = `BF-${String(++this.orderNo).padStart(6, '0')}`;
      this.orders.push({ orderId, customer: order.customer, next: 0 });
      entry('OrderPlaced', {
        customer: order.customer,
        orderId,
        cartId: order.cartId,
        total: { amount: order.total, currency: 'PLN' },
        placedAt: iso(order.at),
      });
    }
    for (const at of this.arrivals(from, minutes, PEAK_PER_MINUTE.paymentIssues * scale)) {
      const order = this.orders[this.random.int(this.orders.length)];
      if (!order) continue;
      entry('PaymentIssueReported', {
        customer: order.customer,
        orderId: order.orderId,
        issue: PAYMENT_ISSUES[this.random.int(PAYMENT_ISSUES.length)],
        amount: this.money(49, 2400),
        reportedAt: iso(at),
      });
    }
    for (const at of this.arrivals(from, minutes, PEAK_PER_MINUTE.optOuts)) {
      entry('CustomerOptedOut', { customer: this.customer(), channel: 'sms', at: iso(at) });
    }
    // A shop integration bug, twice an evening: the dashboard shows where such events end up, and why.
    const due = Math.floor((nowMs - this.options.startMs) / (3 * HOUR)) + 1;
    while (this.malformedSent < Math.min(due, 2)) {
      this.malformedSent += 1;
      const customer = { ...this.customer(), phone: '601 234 567' };
      entry(this.malformedSent === 1 ? 'OrderPlaced' : 'OrderShiped', {
        customer,
        orderId: `BF-BAD-${this.malformedSent}`,
        total: { amount: 199, currency: 'PLN' },
        placedAt: iso(nowMs),
      });
    }

    for (let i = 0; i < entries.length; i += 10) {
      await this.options.putEvents({ Entries: entries.slice(i, i + 10) });
    }
  }

  /** Poisson arrivals over the interval: exponential gaps at `perMinute`. */
  private arrivals(fromMs: number, minutes: number, perMinute: number): number[] {
    if (perMinute <= 0) return [];
    const out: number[] = [];
    const endMs = fromMs + minutes * 60_000;
    for (let t = fromMs + this.random.exponential(60_000 / perMinute); t < endMs;) {
      out.push(t);
      t += this.random.exponential(60_000 / perMinute);
    }
    return out;
  }

  /** The phone of an order placed so far, for a share of the callers; undefined for the others. */
  private orderCallerPhone(): string | undefined {
    const share = this.options.orderCallerShare ?? ORDER_CALLER_SHARE;
    if (this.orderCallerRandom.next() >= share) return undefined;
    const order = this.orders[this.orderCallerRandom.int(this.orders.length)];
    return order === undefined ? undefined : String(order.customer.phone);
  }

  private customer(): Record<string, unknown> {
    let pick = this.random.int(100);
    const locale = LOCALES.find((l) => (pick -= l.weight) < 0)?.locale ?? 'pl-PL';
    const prefix = MOBILE_PREFIXES[this.random.int(MOBILE_PREFIXES.length)] ?? '60';
    const digits = String(this.random.int(10_000_000)).padStart(7, '0');
    return {
      customerId: `C-${String(this.random.int(1_000_000)).padStart(6, '0')}`,
      phone: `+48${prefix}${digits}`,
      locale,
      consent: {
        transactionalSms: this.random.next() > 0.03,
        marketingSms: this.random.next() > 0.4,
        callback: this.random.next() > 0.2,
      },
    };
  }

  private money(min: number, max: number): { amount: number; currency: 'PLN' } {
    return { amount: Math.round((min + this.random.next() * (max - min)) * 100) / 100, currency: 'PLN' };
  }
}

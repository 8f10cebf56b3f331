// All emulator state: plain JSON, optionally written to a file after every change so a
// restarted emulator carries on where it stopped.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type {
  Charge,
  CheckoutExtras,
  CheckoutLineItem,
  CheckoutSession,
  Customer,
  IdempotentResult,
  Invoice,
  PaymentIntent,
  PortalSession,
  Price,
  Product,
  Refund,
  SavedCard,
  StripeEvent,
  Subscription,
} from "./types";
import { notFound } from "./errors";

export interface State {
  version: 1;
  customers: Record<string, Customer>;
  products: Record<string, Product>;
  prices: Record<string, Price>;
  checkoutSessions: Record<string, CheckoutSession>;
  checkoutLineItems: Record<string, CheckoutLineItem[]>;
  checkoutExtras: Record<string, CheckoutExtras>;
  subscriptions: Record<string, Subscription>;
  invoices: Record<string, Invoice>;
  paymentIntents: Record<string, PaymentIntent>;
  charges: Record<string, Charge>;
  refunds: Record<string, Refund>;
  portalSessions: Record<string, PortalSession>;
  events: Record<string, StripeEvent>;
  cards: Record<string, SavedCard>;
  idempotency: Record<string, IdempotentResult>;
}

export type Collection = Exclude<keyof State, "version" | "checkoutLineItems" | "checkoutExtras" | "idempotency">;
export type Item<C extends Collection> = State[C][string];

function emptyState(): State {
  return {
    version: 1,
    customers: {},
    products: {},
    prices: {},
    checkoutSessions: {},
    checkoutLineItems: {},
    checkoutExtras: {},
    subscriptions: {},
    invoices: {},
    paymentIntents: {},
    charges: {},
    refunds: {},
    portalSessions: {},
    events: {},
    cards: {},
    idempotency: {},
  };
}

// Id prefix -> collection, for expansion of any id field.
const PREFIXES: Record<string, Collection> = {
  cus: "customers",
  prod: "products",
  price: "prices",
  cs: "checkoutSessions",
  sub: "subscriptions",
  in: "invoices",
  pi: "paymentIntents",
  ch: "charges",
  re: "refunds",
  bps: "portalSessions",
  evt: "events",
};

// Words used in "No such <kind>" messages, as Stripe writes them.
const KINDS: Record<Collection, string> = {
  customers: "customer",
  products: "product",
  prices: "price",
  checkoutSessions: "checkout.session",
  subscriptions: "subscription",
  invoices: "invoice",
  paymentIntents: "payment_intent",
  charges: "charge",
  refunds: "refund",
  portalSessions: "billing_portal.session",
  events: "event",
  cards: "payment_method",
};

export class Store {
  state: State;

  constructor(private readonly file?: string) {
    this.state = file && existsSync(file) ? Store.read(file) : emptyState();
  }

  private static read(file: string): State {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<State>;
    if (parsed.version !== 1) throw new Error(`${file}: not a Stripe emulator state file (version ${parsed.version})`);
    // Collections added later start empty rather than undefined.
    return { ...emptyState(), ...parsed };
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state));
    // Rename is atomic, so a crash mid-write never leaves a torn state file.
    renameSync(temporary, this.file);
  }

  reset(): void {
    this.state = emptyState();
    this.save();
  }

  snapshot(): State {
    return structuredClone(this.state);
  }

  restore(state: State): void {
    this.state = state;
  }

  get<C extends Collection>(collection: C, id: string): Item<C> | undefined {
    return (this.state[collection] as Record<string, Item<C>>)[id];
  }

  require<C extends Collection>(collection: C, id: string, param = "id"): Item<C> {
    const found = this.get(collection, id);
    if (!found) throw notFound(KINDS[collection], id, param);
    return found;
  }

  put<C extends Collection>(collection: C, item: Item<C> & { id: string }): Item<C> {
    (this.state[collection] as Record<string, Item<C>>)[item.id] = item;
    return item;
  }

  // Newest first, as Stripe lists. Insertion order is creation order and survives JSON.
  all<C extends Collection>(collection: C): Item<C>[] {
    return Object.values(this.state[collection] as Record<string, Item<C>>).reverse();
  }

  findById(id: string): unknown {
    const collection = PREFIXES[id.slice(0, id.indexOf("_"))];
    return collection ? this.get(collection, id) : undefined;
  }
}

// Stripe's bracket form encoding, decoded exactly as the stripe SDK and curl send it.
import { describe, expect, it } from "vitest";
import { StripeApiError } from "./core/errors";
import { parseForm } from "./core/form";

describe("parseForm", () => {
  it("builds nested objects and indexed arrays from the SDK's encoding", () => {
    const raw =
      "mode=subscription&line_items[0][price_data][recurring][interval]=month&line_items[0][quantity]=1" +
      "&line_items[1][price]=price_1&metadata[community]=fedi%20town&expand[0]=subscription&expand[1]=customer" +
      "&success_url=http%3A%2F%2Fhearth.test%2Fok%3Fid%3D%7BCHECKOUT_SESSION_ID%7D";
    expect(parseForm(raw)).toEqual({
      mode: "subscription",
      line_items: [{ price_data: { recurring: { interval: "month" } }, quantity: "1" }, { price: "price_1" }],
      metadata: { community: "fedi town" },
      expand: ["subscription", "customer"],
      success_url: "http://hearth.test/ok?id={CHECKOUT_SESSION_ID}",
    });
  });

  it("appends for empty brackets, decodes + as space, and keeps numeric metadata keys as keys", () => {
    expect(parseForm("expand[]=a&expand[]=b&name=Ada+L&metadata[0]=zero")).toEqual({
      expand: ["a", "b"],
      name: "Ada L",
      metadata: { 0: "zero" },
    });
  });

  it("reads `metadata=` alone as an empty value (clear all), and refuses it mixed with keys", () => {
    expect(parseForm("metadata=")).toEqual({ metadata: "" });
    expect(() => parseForm("metadata[a]=1&metadata=")).toThrow(StripeApiError);
  });

  it("rejects prototype keys and malformed names with a 400", () => {
    for (const raw of ["__proto__[x]=1", "a[constructor]=1", "a]b=1", "a=%E0%A4%A"]) {
      const error = (() => {
        try {
          parseForm(raw);
        } catch (e) {
          return e;
        }
      })();
      expect(error, raw).toBeInstanceOf(StripeApiError);
      expect((error as StripeApiError).status).toBe(400);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

// The records an organiser is told to create for an own domain: the CNAME first, then the A and
// AAAA records with the host's addresses, and without addresses the host's name only.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it, vi } from "vitest";
import { OwnDomainCard } from "./own-domain-card";

// The "Check DNS now" form imports its server action (server-only); this card's text is what is tested.
vi.mock("./check-domain-form", () => ({ CheckDomainForm: () => null }));

const card = (addresses: { ipv4: string[]; ipv6: string[] } | null) =>
  renderToStaticMarkup(createElement(OwnDomainCard, { slug: "c", domain: "social.club", verifiedAt: null, hostName: "hearth.example.org", addresses, caIdentity: null, canCheck: false }))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

it("names the CNAME, then the A and AAAA records with the host's addresses", () => {
  const text = card({ ipv4: ["203.0.113.5"], ipv6: ["2001:db8::5"] });
  expect(text).toContain("a CNAME record pointing at hearth.example.org");
  expect(text).toContain("A 203.0.113.5 AAAA 2001:db8::5");
  expect(text).toContain("and no other A or AAAA records for social.club");
});

it("says a host without IPv6 wants no AAAA record, and names the host only when its addresses are unknown", () => {
  const v4 = card({ ipv4: ["203.0.113.5"], ipv6: [] });
  expect(v4).toContain("A 203.0.113.5");
  expect(v4).not.toContain("AAAA 2");
  expect(v4).toContain("this host has no IPv6 address, so an AAAA record would send visitors over IPv6 to another server");
  expect(card(null)).toContain("A (and AAAA ) records with the same addresses as hearth.example.org");
});

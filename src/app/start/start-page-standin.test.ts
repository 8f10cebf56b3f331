// The start page under `npm start`'s stand-in instances (HEARTH_STANDIN_INSTANCES=1, set by
// src/cli/local-instances.ts): it says plainly that a server runs as a stand-in (demo), and says
// nothing of the kind otherwise. A Bluesky PDS under the local base domain needs the community's own
// domain, and the page says that rather than "not available".
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// Someone is signed in (the page only asks whether anyone is).
vi.mock("@/server/auth/current-actor", () => ({ getActor: async () => ({ id: "someone" }) }));
// No Docker engine is asked: every image counts as present.
vi.mock("@/server/provisioning/image-availability", () => ({ imageAvailability: async () => null, unavailableSoftware: () => new Set() }));

async function render(flag: string | undefined): Promise<string> {
  vi.resetModules(); // env() is read once per module instance
  if (flag === undefined) delete process.env.HEARTH_STANDIN_INSTANCES;
  else process.env.HEARTH_STANDIN_INSTANCES = flag;
  const { default: StartPage } = await import("./page");
  return renderToStaticMarkup(await StartPage({ searchParams: Promise.resolve({}) }));
}

describe("start page", () => {
  it("says a server runs as a stand-in (demo) when new instances are stand-ins", async () => {
    const html = await render("1");
    expect(html).toContain("runs new servers as stand-ins (demo)");
    expect(html).toContain("Runs as a stand-in (demo) on this host: a small imitation of Mastodon for demos and tests, not the real Mastodon.");
    expect(html).toContain("not the real Misskey.");
  });

  it("offers a Bluesky PDS under a .localhost base domain only with a domain of the community's own", async () => {
    const html = await render(undefined);
    expect(html).toContain("Only with a domain of your own on this host: Bluesky handles cannot end in .localhost");
    expect(html).not.toContain("Not available on this host");
  });

  it("says nothing of stand-ins otherwise", async () => {
    for (const flag of [undefined, "0"]) {
      const html = await render(flag);
      expect(html).not.toContain("stand-in");
      expect(html).toContain("The most widely used fediverse server.");
    }
  });
});

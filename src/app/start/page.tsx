import type { Metadata } from "next";
import type { Software } from "@/generated/prisma/enums";
import { redirect } from "next/navigation";
import { StartCommunityForm } from "@/components/community/start-community-form";
import { SOFTWARE_HINT, SOFTWARE_LABEL } from "@/components/labels";
import { formatDate, formatMoney, formatResources } from "@/lib/format";
import { getActor } from "@/server/auth/current-actor";
import { enabledSoftware } from "@/server/communities/enabled-software";
import { moveBackInValues } from "@/server/communities/move-back-in";
import { env } from "@/server/config/env";
import { listActivePlans } from "@/server/plans/list-active-plans";
import { imageAvailability, unavailableSoftware } from "@/server/provisioning/image-availability";
import { pdsDomainProblem } from "@/server/provisioning/templates/pds";

export const metadata: Metadata = { title: "Start a community" };

export default async function StartPage({ searchParams }: { searchParams: Promise<{ verified?: string; from?: string }> }) {
  const { verified, from } = await searchParams;
  const actor = await getActor();
  if (!actor) redirect(`/sign-up?callbackUrl=${encodeURIComponent(from ? `/start?from=${from}` : "/start")}`);
  // "Move it back in" from a deleted community of this person's: the form starts filled in.
  const backIn = typeof from === "string" ? await moveBackInValues(actor, from) : null;
  const [plans, availability] = await Promise.all([listActivePlans(), imageAvailability(10 * 60_000).catch(() => null)]);
  const unavailable = unavailableSoftware(availability);
  const baseDomain = env().HEARTH_BASE_DOMAIN;
  // A Bluesky PDS on a base domain atproto refuses for handles (hearth.localhost) could create no account: say so here
  // (with the community's own domain it can, and the form allows it).
  const pdsProblem = pdsDomainProblem(`example.${baseDomain}`);
  // `npm start` on a machine without the real Mastodon and Misskey images (src/cli/local-instances.ts): say it plainly.
  const standIns = env().HEARTH_STANDIN_INSTANCES === "1";
  const hint = (value: Software) =>
    unavailable.has(value)
      ? "Not available on this host right now."
      : value === "BLUESKY_PDS" && pdsProblem
        ? `Only with a domain of your own on this host: ${pdsProblem}`
        : standIns && value !== "BLUESKY_PDS"
          ? `Runs as a stand-in (demo) on this host: a small imitation of ${SOFTWARE_LABEL[value]} for demos and tests, not the real ${SOFTWARE_LABEL[value]}.`
        : SOFTWARE_HINT[value];
  return (
    <section>
      {verified ? <p className="form-ok" role="status">Your email address is confirmed.</p> : null}
      <h1>Start a community</h1>
      <p className="lead">
        Tell us what your community is called and what it needs. It gets its public page at once; the server is set up
        when members have pledged enough to cover its monthly cost.
      </p>
      {backIn ? (
        <p className="notice" role="note">
          Bringing back “{backIn.name}”, deleted on {formatDate(backIn.deletedAt)}: the form holds its address, domain and
          software. Once it is created, upload its export archive on its dashboard; the server is set up from it, with the same
          accounts and posts, when the community is funded.
        </p>
      ) : null}
      {standIns ? (
        <p className="notice" role="note">
          This Hearth runs new servers as stand-ins (demo): the real Mastodon and Misskey images are not on this machine, so a
          community&apos;s server is a small imitation used for demos and tests. Nobody can sign in or post on it.
        </p>
      ) : null}
      <StartCommunityForm
        baseDomain={baseDomain}
        initial={backIn?.values}
        software={(await enabledSoftware()).map((value) => ({ value, label: SOFTWARE_LABEL[value], hint: hint(value) }))}
        plans={plans.map((plan) => ({
          value: plan.id,
          label: `${plan.name}: ${formatMoney(plan.monthlyCost, plan.currency)} a month`,
          hint: formatResources(plan),
        }))}
      />
    </section>
  );
}

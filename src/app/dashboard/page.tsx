import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/community/status-badge";
import { ROLE_LABEL, SOFTWARE_LABEL } from "@/components/labels";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { listMyCommunities } from "@/server/communities/list-my-communities";

export const metadata: Metadata = { title: "Your communities" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ deleted?: string; left?: string }> }) {
  const actor = await actorOrSignIn("/dashboard");
  const memberships = await listMyCommunities(actor);
  const { deleted, left } = await searchParams;
  return (
    <section>
      <h1>Your communities</h1>
      <div role="status">
        {deleted ? (
          <p className="form-ok">
            The community was deleted. Its contributions are cancelled and its supporters have been told; any export made first is
            kept by the host.
          </p>
        ) : null}
        {left ? <p className="form-ok">You left the community.</p> : null}
      </div>
      {memberships.length === 0 ? (
        <p>You are not part of a community yet.</p>
      ) : (
        <ul className="card-list">
          {memberships.map(({ community, role }) => (
            <li key={community.slug} className="card">
              <h2>
                <Link href={`/dashboard/${community.slug}`}>{community.name}</Link>
              </h2>
              <p>
                <StatusBadge status={community.status} /> {SOFTWARE_LABEL[community.software]} · You are{" "}
                {ROLE_LABEL[role].toLowerCase()}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link className="button" href="/start">
          Start a community
        </Link>
      </p>
    </section>
  );
}

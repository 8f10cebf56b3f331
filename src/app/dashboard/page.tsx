import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/community/status-badge";
import { ROLE_LABEL, SOFTWARE_LABEL } from "@/components/labels";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { ExportsList } from "@/components/exports-list";
import { formatDate } from "@/lib/format";
import { listMyCommunities } from "@/server/communities/list-my-communities";
import { deletedCommunityExports } from "@/server/exports/download-export";

export const metadata: Metadata = { title: "Your communities" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ deleted?: string; left?: string }> }) {
  const actor = await actorOrSignIn("/dashboard");
  const [memberships, deletedOnes] = await Promise.all([listMyCommunities(actor), deletedCommunityExports(actor)]);
  const { deleted, left } = await searchParams;
  return (
    <section>
      <h1>Your communities</h1>
      <div role="status">
        {deleted ? (
          <p className="form-ok">
            The community was deleted. Its contributions are cancelled and its supporters have been told. An export made first
            is listed below under “Deleted communities” as soon as it is ready.
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
      {deletedOnes.length > 0 ? (
        <section aria-labelledby="deleted-communities">
          <h2 id="deleted-communities">Deleted communities</h2>
          <p className="hint">
            The export archives the host keeps of your deleted communities. Each holds the server&apos;s data and secrets, so keep
            it somewhere safe: a server on another host can move in from it.
          </p>
          <ul className="card-list">
            {deletedOnes.map((c) => (
              <li key={c.id} className="card">
                <h3>{c.name}</h3>
                <p>Deleted on {formatDate(c.deletedAt)}.</p>
                {c.exporting ? (
                  <p role="status">
                    {c.removalFailed
                      ? "The export made before deletion has not succeeded yet: nothing of the server is removed until it has. It is tried again, and appears here once it is made."
                      : "The export made before deletion is being written; it appears here when it is ready."}
                  </p>
                ) : null}
                {c.archives.length > 0 ? <ExportsList archives={c.archives} href={(name) => `/account/exports/${c.id}/${name}`} /> : null}
                {c.canMoveBackIn && c.archives.length > 0 ? (
                  c.tearingDown ? (
                    <p className="hint">
                      Its old server is still being removed{c.removalFailed ? " (the last try failed and is retried)" : ""}; then you can
                      bring the community back here, at the same address.
                    </p>
                  ) : (
                    <p>
                      <Link href={`/start?from=${c.id}`}>Bring it back</Link>{" "}
                      <span className="hint">at the same address, moving in from its archive: the same accounts and posts.</span>
                    </p>
                  )
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

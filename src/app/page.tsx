import type { Metadata } from "next";
import { openGraph } from "@/app/social-preview";

export const metadata: Metadata = {
  openGraph: openGraph({
    title: "Hearth: your community's own server, funded together",
    description: "Community-funded Mastodon and Misskey servers, run by and for their communities.",
    path: "/",
  }),
};

export default function HomePage() {
  return (
    <section className="hero">
      <h1>Your community&apos;s own server, funded together</h1>
      <p className="lead">
        Hearth runs Mastodon and Misskey-family servers for communities that pay for them with many small monthly
        contributions. Everyone sees what the server costs and how long it is covered, and leaving stays easy: export
        everything and move whenever you want.
      </p>
      <ul className="features">
        <li>
          <h2>Start in one form</h2>
          <p>Pick a name, an address, the software and a size. Hearth provisions it once it is funded.</p>
        </li>
        <li>
          <h2>Funded in the open</h2>
          <p>Members contribute monthly. The community page shows the cost, what is pledged and the months covered.</p>
        </li>
        <li>
          <h2>Kept healthy</h2>
          <p>Every server is watched for load and health, with a grace period before anything is ever suspended.</p>
        </li>
      </ul>
    </section>
  );
}

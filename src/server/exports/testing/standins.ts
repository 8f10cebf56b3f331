// Until the test bed's app stand-ins land: the Mastodon stand-in checks its database with an HTTP
// request, which a real PostgreSQL does not answer; this run's image gets a plain TCP check.
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import type Docker from "dockerode";
import { tarball } from "@/server/provisioning/tar";

export async function tcpCheckingMastodon(docker: Docker, tag: string, label: Record<string, string>): Promise<void> {
  const original = readFileSync(new URL("../../provisioning/testing/standin/bin/bundle", import.meta.url), "utf8");
  // The test bed's stand-ins (Debian, with psql) check the real database themselves: nothing to patch.
  if (!original.includes("wget -q -O /dev/null")) return;
  const script = original.replace(
    /timeout 3 wget -q -O \/dev\/null "http:\/\/\$DB_HOST:\$\{DB_PORT:-5432\}\/"/,
    'printf "GET / HT" | timeout 3 nc "$DB_HOST" "${DB_PORT:-5432}" >/dev/null',
  );
  if (!script.includes('nc "$DB_HOST"')) throw new Error("the stand-in's database check changed; update this helper");
  const c = await docker.createContainer({ Image: tag, Labels: label });
  await c.putArchive(Readable.from([await tarball([{ type: "file", name: "bundle", mode: 0o755, content: Buffer.from(script) }])]), { path: "/usr/local/bin" });
  const [repo, version] = tag.split(":") as [string, string];
  await c.commit({ repo, tag: version });
  await c.remove();
}

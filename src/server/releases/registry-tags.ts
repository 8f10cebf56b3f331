// The tags a registry offers for an image, through the Docker Registry HTTP API v2
// (GET /v2/<repository>/tags/list), with the anonymous bearer token that ghcr.io, Docker Hub and
// GitLab's registries ask for (the realm named in WWW-Authenticate). Never guesses: a registry
// that cannot be reached is reported as such, with the reason.
import { z } from "zod";

export type RegistryAnswer = { ok: true; registry: string; tags: string[] } | { ok: false; registry: string; reason: string };

export type ImageRepository = { registry: string; repository: string; baseUrl: string };

/** docker.io/library/redis, ghcr.io/mastodon/mastodon, localhost:5000/team/app. */
export function imageRepository(ref: string): ImageRepository {
  const name = ref.split("@")[0]!.replace(/:[^/:]+$/, "");
  const [first, ...rest] = name.split("/");
  const hasRegistry = rest.length > 0 && (first!.includes(".") || first!.includes(":") || first === "localhost");
  if (!hasRegistry) {
    const repository = rest.length === 0 ? `library/${name}` : name;
    return { registry: "docker.io", repository, baseUrl: "https://registry-1.docker.io" };
  }
  const local = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(first!);
  return { registry: first!, repository: rest.join("/"), baseUrl: `${local ? "http" : "https"}://${first}` };
}

const tagsSchema = z.object({ tags: z.array(z.string()).nullable() });
const tokenSchema = z.object({ token: z.string().optional(), access_token: z.string().optional() });

function bearerChallenge(header: string | null): { realm: string; service?: string; scope?: string } | null {
  if (!header?.toLowerCase().startsWith("bearer ")) return null;
  const params = Object.fromEntries([...header.slice(7).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return params.realm ? { realm: params.realm, service: params.service, scope: params.scope } : null;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message || cause?.code) return cause.message ?? cause.code ?? "";
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  return error instanceof Error ? error.message : String(error);
}

export async function registryTags(ref: string, timeoutMs = 5_000): Promise<RegistryAnswer> {
  const { registry, repository, baseUrl } = imageRepository(ref);
  const url = `${baseUrl}/v2/${repository}/tags/list?n=1000`;
  try {
    let response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const challenge = response.status === 401 ? bearerChallenge(response.headers.get("www-authenticate")) : null;
    if (challenge) {
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service) tokenUrl.searchParams.set("service", challenge.service);
      tokenUrl.searchParams.set("scope", challenge.scope ?? `repository:${repository}:pull`);
      const tokenResponse = await fetch(tokenUrl, { signal: AbortSignal.timeout(timeoutMs) });
      if (!tokenResponse.ok) return { ok: false, registry, reason: `its token service answered HTTP ${tokenResponse.status}` };
      const token = tokenSchema.parse(await tokenResponse.json());
      response = await fetch(url, { headers: { Authorization: `Bearer ${token.token ?? token.access_token ?? ""}` }, signal: AbortSignal.timeout(timeoutMs) });
    }
    if (!response.ok) return { ok: false, registry, reason: `it answered HTTP ${response.status}` };
    const parsed = tagsSchema.safeParse(await response.json());
    if (!parsed.success) return { ok: false, registry, reason: "its answer was not a tag list" };
    return { ok: true, registry, tags: parsed.data.tags ?? [] };
  } catch (error) {
    return { ok: false, registry, reason: describe(error) };
  }
}

import "server-only";
import type { Provider } from "next-auth/providers/index";
import GitHub from "next-auth/providers/github";
import GitLab from "next-auth/providers/gitlab";
import Google from "next-auth/providers/google";
import { OAUTH_PROVIDERS, env, type Env } from "@/server/config/env";


export type OAuthProviderId = keyof typeof OAUTH_PROVIDERS;

/** The OAuth providers whose id and secret are configured: the sign-in page shows these. */
export function enabledOAuthProviders(config: Env = env()): { id: OAuthProviderId; name: string }[] {
  return (Object.keys(OAUTH_PROVIDERS) as OAuthProviderId[])
    .filter((id) => config[OAUTH_PROVIDERS[id].id] && config[OAUTH_PROVIDERS[id].secret])
    .map((id) => ({ id, name: OAUTH_PROVIDERS[id].name }));
}

export function oauthProviders(config: Env = env()): Provider[] {
  return enabledOAuthProviders(config).map(({ id }) => {
    const credentials = { clientId: config[OAUTH_PROVIDERS[id].id] ?? "", clientSecret: config[OAUTH_PROVIDERS[id].secret] ?? "" };
    if (id === "github") return GitHub(credentials);
    if (id === "gitlab") return GitLab(credentials);
    return Google(credentials);
  });
}

// The OAuth buttons of the sign-in and sign-up pages, only when a provider is configured.
// They need next-auth's client helper; loaded lazily, so a host without OAuth sends none of
// it to the browser.
import dynamic from "next/dynamic";
import { enabledOAuthProviders } from "@/server/auth/oauth-providers";

const OAuthButtons = dynamic(() => import("./oauth-buttons").then((m) => m.OAuthButtons));

export function OAuthSignIn({ callbackUrl }: { callbackUrl: string }) {
  const providers = enabledOAuthProviders();
  if (providers.length === 0) return null;
  return <OAuthButtons providers={providers} callbackUrl={callbackUrl} />;
}

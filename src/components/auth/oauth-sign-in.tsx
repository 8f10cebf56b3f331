// The OAuth buttons of the sign-in and sign-up pages, only when a provider is configured
// (next-auth's client code is loaded only when one is clicked: see oauth-buttons.tsx).
import { enabledOAuthProviders } from "@/server/auth/oauth-providers";
import { OAuthButtons } from "./oauth-buttons";

export function OAuthSignIn({ callbackUrl }: { callbackUrl: string }) {
  const providers = enabledOAuthProviders();
  if (providers.length === 0) return null;
  return <OAuthButtons providers={providers} callbackUrl={callbackUrl} />;
}

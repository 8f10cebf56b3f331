"use client";
// OAuth sign-in goes through next-auth's own endpoints (CSRF token, state, PKCE), which
// its client helper drives; these buttons therefore need JavaScript.
import { signIn } from "next-auth/react";

export function OAuthButtons({ providers, callbackUrl }: { providers: { id: string; name: string }[]; callbackUrl: string }) {
  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="oauth-heading" className="oauth">
      <h2 id="oauth-heading">Or continue with</h2>
      <ul className="inline-list">
        {providers.map((provider) => (
          <li key={provider.id}>
            <button type="button" className="secondary" onClick={() => void signIn(provider.id, { callbackUrl })}>
              {provider.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

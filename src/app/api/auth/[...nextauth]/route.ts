// GET, POST /api/auth/*: next-auth (OAuth redirects and callbacks, credentials callback, session, sign-out).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: they read the environment, which `next build` does not have.
function handler(request: NextRequest, context: Context): Promise<Response> {
  return NextAuth(request, context, authOptions());
}

export { handler as GET, handler as POST };

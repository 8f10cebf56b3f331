// GET, POST /api/auth/*: next-auth (OAuth redirects and callbacks, credentials callback, session, sign-out).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/auth-options";
import { AUTH_BODY_LIMIT, limitBody } from "@/server/http/body-limit";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: they read the environment, which `next build` does not have.
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const limited = await limitBody(request, AUTH_BODY_LIMIT);
  if (limited instanceof Response) return limited;
  return NextAuth(limited, context, authOptions());
}

export { handler as GET, handler as POST };

import { toHttpError } from "@/server/errors/app-error";
import { payloadTooLarge, readBodyLimited } from "@/server/http/body-limit";
import { unsubscribe } from "@/server/mail/notification-settings";

// The body is "List-Unsubscribe=One-Click"; nothing in it is used, but it is bounded.
const UNSUBSCRIBE_BODY_LIMIT = 1024;

// POST /api/unsubscribe/<token>: one-click unsubscribe from a mail client (RFC 8058, List-Unsubscribe-Post).
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  if ((await readBodyLimited(request, UNSUBSCRIBE_BODY_LIMIT)) === null) return payloadTooLarge(UNSUBSCRIBE_BODY_LIMIT);
  try {
    await unsubscribe((await params).token);
    return new Response(null, { status: 204 });
  } catch (error) {
    const { status, body } = toHttpError(error);
    return Response.json(body, { status });
  }
}

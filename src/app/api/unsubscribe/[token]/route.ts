import { toHttpError } from "@/server/errors/app-error";
import { unsubscribe } from "@/server/mail/notification-settings";

// POST /api/unsubscribe/<token>: one-click unsubscribe from a mail client (RFC 8058, List-Unsubscribe-Post).
export async function POST(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  try {
    await unsubscribe((await params).token);
    return new Response(null, { status: 204 });
  } catch (error) {
    const { status, body } = toHttpError(error);
    return Response.json(body, { status });
  }
}

// The worker's mail loop: every HEARTH_MAIL_INTERVAL_SECONDS it turns new alerts into mail and
// delivers what is due (again at once while a whole batch was due, so a burst drains at the
// relay's speed). Without SMTP settings, messages are kept in Hearth and verification links are
// printed for the operator, who could not otherwise verify the first account.
import "server-only";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { deliverDue } from "./deliver-outbox";
import { mailTransportConfig } from "./mail-config";
import { queueAlertMails } from "./queue-alert-mails";
import { smtpSender, type MailSender } from "./smtp-sender";
import { repeat } from "@/server/worker/repeat";

const BATCH = 50;

function printVerification(to: string, url: string) {
  process.stdout.write(`hearth: mail is not being sent (no SMTP_URL or SMTP_HOST). To verify ${to}, open ${url}\n`);
}

/** Used tokens and those expired a day ago are of no use. */
async function pruneTokens(now: Date) {
  await db.emailToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
}

export function startMailLoop(): { stop: () => Promise<void> } {
  const config = env();
  const transport = mailTransportConfig(config);
  const sender: MailSender | null = transport.mode === "smtp" ? smtpSender(transport.options, config.HEARTH_MAIL_CONCURRENCY) : null;
  log.info(transport.mode === "smtp" ? "mail goes through the SMTP relay" : "mail is kept in Hearth (no SMTP relay configured)", {
    relay: transport.mode === "smtp" ? transport.relay : null,
  });
  let stopped = false;
  let lastPrune = 0;

  const pass = async () => {
    const now = new Date();
    await queueAlertMails(now);
    if (now.getTime() - lastPrune > 3600_000) {
      lastPrune = now.getTime();
      await pruneTokens(now);
    }
    for (;;) {
      const counts = await deliverDue({ config, sender, batch: BATCH, onKeptVerification: printVerification });
      const handled = counts.sent + counts.kept + counts.retried + counts.failed + counts.skipped;
      if (handled < BATCH || stopped) break;
    }
  };
  const loop = repeat("mail loop", pass, { everyMs: () => config.HEARTH_MAIL_INTERVAL_SECONDS * 1000 });
  return {
    async stop() {
      stopped = true; // a draining pass ends after its batch
      await loop.stop();
      sender?.close();
    },
  };
}

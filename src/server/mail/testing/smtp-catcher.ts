// A real SMTP server for tests and the bench (the smtp-server package, mail read back with
// mailparser). It accepts by default; `behave` can make it answer 4xx or 5xx to a message or
// drop the connection in the middle of one, as real servers do. Every accepted message is kept
// (and written as an .eml file when `dir` is given, for the Playwright tests in another process).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export type Behaviour = "accept" | "tempfail" | "reject" | "drop";

export type CaughtMail = {
  parsed: ParsedMail;
  raw: Buffer;
  to: string[];
  messageId: string;
  acceptedAt: Date;
};

export type SmtpCatcher = {
  port: number;
  url: string;
  mails: CaughtMail[];
  /** Every DATA attempt seen, with what the server did: for "arrived exactly once" checks. */
  attempts: { messageId: string; to: string[]; outcome: Behaviour }[];
  /** Waits until a mail to `to` (and matching `where`) has arrived, polling the list. */
  waitFor: (to: string, where?: (mail: CaughtMail) => boolean, timeoutMs?: number) => Promise<CaughtMail>;
  close: () => Promise<void>;
};

type Options = {
  /** What to do with a message, decided once it has been read (by recipients and Message-ID). */
  behave?: (input: { to: string[]; messageId: string; seen: number }) => Behaviour;
  dir?: string;
  port?: number;
};

function messageIdOf(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString("utf8").split(/\r?\n\r?\n/)[0] ?? "";
  return /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "";
}

export async function startSmtpCatcher(options: Options = {}): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  const attempts: SmtpCatcher["attempts"] = [];
  const seen = new Map<string, number>();
  if (options.dir) mkdirSync(options.dir, { recursive: true });

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // Any user/password is fine: the tests check Hearth's behaviour, not the relay's.
    onAuth: (_auth, _session, callback) => callback(null, { user: "test" }),
    onData(stream, session: SMTPServerSession, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (dropped || !options.behave) return;
        const raw = Buffer.concat(chunks);
        // Decide on a drop as soon as the headers are in: cut the connection mid-message.
        if (/\r?\n\r?\n/.test(raw.toString("latin1"))) {
          const messageId = messageIdOf(raw);
          const count = seen.get(messageId) ?? 0;
          if (options.behave({ to, messageId, seen: count }) === "drop") {
            dropped = true;
            seen.set(messageId, count + 1);
            attempts.push({ messageId, to, outcome: "drop" });
            for (const connection of (server as unknown as { connections: Set<{ session?: { id: string }; _socket?: { destroy: () => void } }> }).connections) {
              if (connection.session?.id === session.id) connection._socket?.destroy();
            }
          }
        }
      });
      stream.on("end", () => {
        if (dropped) return;
        const raw = Buffer.concat(chunks);
        const messageId = messageIdOf(raw);
        const count = seen.get(messageId) ?? 0;
        seen.set(messageId, count + 1);
        const outcome = options.behave?.({ to, messageId, seen: count }) ?? "accept";
        attempts.push({ messageId, to, outcome });
        if (outcome === "tempfail") {
          return callback(Object.assign(new Error("4.3.0 Try again later"), { responseCode: 451 }));
        }
        if (outcome === "reject") {
          return callback(Object.assign(new Error("5.7.1 Message rejected by the test server"), { responseCode: 554 }));
        }
        simpleParser(raw)
          .then((parsed) => {
            const mail = { parsed, raw, to, messageId, acceptedAt: new Date() };
            mails.push(mail);
            if (options.dir) {
              // Written aside, then renamed: a reader in another process never sees a half-written mail.
              const name = `${Date.now()}-${mails.length}.eml`;
              writeFileSync(join(options.dir, `.${name}.part`), raw);
              renameSync(join(options.dir, `.${name}.part`), join(options.dir, name));
            }
            callback(null, `Queued as test-${mails.length}`);
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  server.on("error", () => {}); // a dropped connection is an expected event here
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = (server as unknown as { server: { address: () => { port: number } } }).server.address();
      resolve(address.port);
    });
  });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    attempts,
    async waitFor(to, where = () => true, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find((m) => m.to.includes(to.toLowerCase()) && where(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

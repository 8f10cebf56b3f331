// Structured one-line JSON logs through pino: info to stdout, warnings and errors to stderr.
// Callers pass facts, never secrets; as a last line of defence every field whose name says it
// holds one (at any depth, in objects and arrays) is masked, and an Error anywhere in the fields
// is written as its type, message and stack instead of `{}`.
//
// `log.child({ communityId, runId })` gives a logger whose lines all carry those fields.
import pino from "pino";

type Fields = Record<string, unknown>;

/** Field names whose values are secrets: one of these words in the name (`smtpPassword`, `api_key`, `Set-Cookie`). */
const SECRET_WORD = /(^|_)(secrets?|passwords?|passwd|tokens?|keys?|apikey|authorization|cookies?|credentials?|dsn)(_|$)/;

export const REDACTED = "[redacted]";

/** The name split into words joined by "_" (camelCase, snake_case and kebab-case alike), lower case. */
const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();

export function isSecretName(name: string): boolean {
  return SECRET_WORD.test(words(name));
}

function serialiseError(error: Error, depth: number): Fields {
  const out: Fields = { type: error.name, message: error.message, stack: error.stack };
  const { code, cause } = error as Error & { code?: unknown; cause?: unknown };
  if (code !== undefined) out.code = code;
  if (cause !== undefined) out.cause = clean(cause, depth + 1);
  return out;
}

/** A copy of `value` with secret-named fields masked and errors serialised (cycles and depth bounded). */
export function clean(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? value.toString() : value;
  if (depth > 8) return "[too deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) return serialiseError(value, depth);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1, seen));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  return Object.fromEntries(
    Object.entries(value as Fields).map(([name, item]) => [name, isSecretName(name) ? REDACTED : clean(item, depth + 1, seen)]),
  );
}

type Level = "info" | "warn" | "error";

export type Logger = {
  info: (message: string, fields?: Fields) => void;
  warn: (message: string, fields?: Fields) => void;
  error: (message: string, fields?: Fields) => void;
  child: (fields: Fields) => Logger;
};

function rootLogger(): pino.Logger<never, boolean> {
  return pino(
    {
      base: null,
      messageKey: "message",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      level: process.env.HEARTH_LOG_LEVEL === "warn" ? "warn" : "info",
    },
    pino.multistream(
      [
        { level: "info", stream: process.stdout },
        { level: "warn", stream: process.stderr },
      ],
      { dedupe: true },
    ),
  );
}

function wrap(logger: pino.Logger<never, boolean>): Logger {
  const write = (level: Level) => (message: string, fields: Fields = {}) => logger[level](clean(fields) as Fields, message);
  return {
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (fields) => wrap(logger.child(clean(fields) as Fields)),
  };
}

export const log: Logger = wrap(rootLogger());

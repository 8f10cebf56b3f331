// Structured one-line logs. Callers pass facts, never secrets: values under keys that
// look secret are masked as a last line of defence.
const SECRET_KEY = /secret|password|token|key|authorization|cookie/i;

type Fields = Record<string, unknown>;

function mask(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : v]));
}

function write(level: "info" | "warn" | "error", message: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...mask(fields) });
  (level === "info" ? process.stdout : process.stderr).write(line + "\n");
}

export const log = {
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

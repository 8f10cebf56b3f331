// Built once: constructing a formatter costs far more than formatting with it.
const format = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function formatDate(date: Date): string {
  return format.format(date);
}

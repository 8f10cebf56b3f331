// Stripe's cursor pagination: newest first, `limit`, `starting_after`, `ending_before`.
import { invalidRequest } from "./errors";
import type { List } from "./types";

export interface Page {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export function paginate<T extends { id: string }>(items: T[], page: Page, url: string): List<T> {
  const limit = page.limit ?? 10;
  const indexOf = (id: string, param: string) => {
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) throw invalidRequest(`No such object: '${id}'`, { param, code: "resource_missing" });
    return index;
  };
  if (page.ending_before) {
    const end = indexOf(page.ending_before, "ending_before");
    const start = Math.max(0, end - limit);
    return { object: "list", data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = page.starting_after ? indexOf(page.starting_after, "starting_after") + 1 : 0;
  const data = items.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < items.length, url };
}

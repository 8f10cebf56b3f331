// One date format for emails and pages (src/lib/format.ts).
export { formatDate } from "@/lib/format";

// One table markup for lists of records: a caption (visually hidden unless asked), column
// headings with scope, one row per record. A server component: cells are rendered here, so
// they may hold links and forms. Phone width is handled by globals.css (tables scroll inside).
import type { ReactNode } from "react";

export type Column<Row> = {
  /** The column's heading; `hiddenHeader` keeps it for screen readers only (an "Actions" column). */
  header: string;
  hiddenHeader?: boolean;
  cell: (row: Row) => ReactNode;
};

type Props<Row> = {
  caption: string;
  showCaption?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  className?: string;
};

export function DataTable<Row>({ caption, showCaption = false, columns, rows, rowKey, className }: Props<Row>) {
  return (
    <table className={className}>
      <caption className={showCaption ? undefined : "visually-hidden"}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.header}>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

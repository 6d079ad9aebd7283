/**
 * Lines of a plain-text table: the first column (labels) left-aligned, the rest (figures)
 * right-aligned, columns two spaces apart.
 * @param {string[][]} rows
 * @returns {string[]}
 */
export function alignColumns(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '),
  );
}

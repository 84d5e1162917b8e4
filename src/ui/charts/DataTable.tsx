/** At most `max` evenly spaced points of a series, always with its last one. */
export function sampleRows<T>(points: readonly T[], max = 12): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor((i * (points.length - 1)) / (max - 1))]);
  out.push(points[points.length - 1]);
  return out;
}

/** A chart's numbers as a table: its text alternative. */
export function DataTable(props: { caption: string; columns: readonly string[]; rows: readonly (readonly string[])[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="chart-table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

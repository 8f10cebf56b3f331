import type { ContainersResult } from "@/server/admin/tenants/tenant-containers";

const HEALTH: Record<string, string> = { healthy: "Healthy", unhealthy: "Unhealthy", starting: "Starting", none: "No health check" };

export function ContainersCard({ result }: { result: ContainersResult }) {
  if (!result.ok) return <p className="form-error">{result.error} The rest of the page is from the database.</p>;
  if (result.containers.length === 0) return <p>No containers of this tenant on the Docker host.</p>;
  return (
    <div className="table-wrap">
      <table className="admin-table">
        <caption className="visually-hidden">Containers</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">State</th>
            <th scope="col">Health</th>
            <th scope="col">Image</th>
            <th scope="col">Name</th>
          </tr>
        </thead>
        <tbody>
          {result.containers.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.component}</th>
              <td>
                {c.state}
                <div className="hint">{c.status}</div>
              </td>
              <td>{HEALTH[c.health]}</td>
              <td className="mono">{c.image}</td>
              <td className="mono">{c.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

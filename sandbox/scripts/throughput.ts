// Simple requests per second against a sandbox in its own process (so the client does not share its CPU):
// DescribeVpcs (EC2 query/XML) and DescribeCluster (EKS REST-JSON) with 32 requests in flight.
// Run: bun sandbox/scripts/throughput.ts [seconds]   Prints one JSON line.
import { join } from "node:path";

const seconds = Number(process.argv[2] ?? 3);
const CONCURRENCY = 32;
const scope = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-west-2/${service}/aws4_request, SignedHeaders=host, Signature=00`;

const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../main.ts")], { stdout: "pipe", stderr: "ignore" });
const reader = proc.stdout.getReader();
let out = "";
while (!out.includes("NIC_SANDBOX_CONTROL")) {
  const { value, done } = await reader.read();
  if (done) throw new Error("sandbox exited before printing its endpoints");
  out += new TextDecoder().decode(value);
}
const endpoint = /AWS_ENDPOINT_URL="([^"]+)"/.exec(out)![1]!;

const requests: Record<string, () => Promise<Response>> = {
  "ec2:DescribeVpcs": () =>
    fetch(endpoint, { method: "POST", headers: { authorization: scope("ec2"), "content-type": "application/x-www-form-urlencoded" }, body: "Action=DescribeVpcs&Version=2016-11-15" }),
  "eks:DescribeCluster(404)": () => fetch(`${endpoint}/clusters/none`, { headers: { authorization: scope("eks") } }),
};

const results: Record<string, number> = {};
try {
  for (const [name, send] of Object.entries(requests)) {
    let count = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const res = await send();
          await res.arrayBuffer();
          count++;
        }
      }),
    );
    results[name] = Math.round(count / seconds);
  }
} finally {
  proc.kill();
  await proc.exited;
}
console.log(JSON.stringify({ metric: "sandbox_requests_per_second", concurrency: CONCURRENCY, seconds, results }));

// Terraform's cidrhost() for IPv4 and IPv6: the hostnum-th address of a prefix, refused when it does not fit (as Terraform does).

export function cidrHost(prefix: string, hostnum: number): string {
  const [ip, bits] = prefix.split("/");
  const v6 = ip?.includes(":") ?? false;
  const width = v6 ? 128 : 32;
  const length = Number(bits);
  if (!ip || !Number.isInteger(length) || length < 0 || length > width) throw new Error(`${prefix} is not a CIDR prefix`);
  if (BigInt(hostnum) >= 1n << BigInt(width - length)) throw new Error(`prefix of ${length} does not accommodate a host numbered ${hostnum}`);
  const hostBits = BigInt(width - length);
  const network = ((v6 ? parseV6(ip) : parseV4(ip)) >> hostBits) << hostBits;
  const address = network + BigInt(hostnum);
  return v6 ? formatV6(address) : formatV4(address);
}

const parseV4 = (ip: string) => ip.split(".").reduce((n, octet) => (n << 8n) + BigInt(Number(octet)), 0n);
const formatV4 = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 255n)).join(".");

function parseV6(ip: string): bigint {
  const [head, tail] = ip.includes("::") ? ip.split("::") as [string, string] : [ip, undefined];
  const groups = (s: string) => (s ? s.split(":") : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952, as Go's net.IP.String(): lowercase, no leading zeros, the first longest run of two or more zero groups as `::`. */
function formatV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

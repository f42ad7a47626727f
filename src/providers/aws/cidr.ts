// Terraform's cidrsubnet() for IPv4: the netnum-th subnet with newbits more prefix bits.

export function cidrSubnet(prefix: string, newbits: number, netnum: number): string {
  const [ip, bits] = prefix.split("/");
  const length = Number(bits) + newbits;
  if (!ip || !bits || length > 32 || netnum >= 2 ** newbits) throw new Error(`cidrsubnet(${prefix}, ${newbits}, ${netnum}) does not fit`);
  const base = ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const mask = length === 0 ? 0 : 2 ** 32 - 2 ** (32 - length);
  const network = (base & mask) >>> 0;
  const address = network + netnum * 2 ** (32 - length);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${length}`;
}

// Connecting has its own deadline. fetch has none of its own (a blackholed address waits for the kernel's SYN retries,
// minutes), so a client reaching an endpoint first opens a TCP connection to it (or to the proxy fetch will use) and
// closes it: an endpoint that cannot be reached fails within the connect deadline, one that is slow to answer is not cut.

/** Where fetch's connection goes: the URL's host, or the proxy from HTTPS_PROXY/HTTP_PROXY unless NO_PROXY names the host. */
export function connectTarget(url: URL, env: Record<string, string | undefined> = process.env): { host: string; port: number } {
  const proxy = url.protocol === "https:" ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  const target = proxy && !bypassed(url.hostname, env.NO_PROXY ?? env.no_proxy) ? new URL(proxy) : url;
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || (target.protocol === "https:" ? 443 : 80) };
}

function bypassed(host: string, noProxy: string | undefined): boolean {
  return (noProxy ?? "").split(",").map((e) => e.trim().replace(/^\*?\./, "")).some((e) => e === "*" || (e !== "" && (host === e || host.endsWith(`.${e}`))));
}

/**
 * False only when a TCP connection to `target` is still connecting after `ms`; true once it opens, or as soon as connecting
 * fails otherwise (refused, no route: fetch then reports that itself).
 */
export async function connectsInTime(target: { host: string; port: number }, ms: number, signal?: AbortSignal): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise<boolean>((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const done = (result: boolean | Error) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const aborted = () => done(signal!.reason instanceof Error ? signal!.reason : new Error("aborted"));
    const timer = setTimeout(() => done(false), ms);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(true));
    if (signal?.aborted) aborted();
    else signal?.addEventListener("abort", aborted, { once: true });
  });
}

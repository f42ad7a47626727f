// A build step for the nic binary (build.ts): arktype's union nodes compute their discriminant (which branch to try from a
// value's kind or key) when they are constructed, for the compiled validators. NIC runs arktype jitless (./jitless.ts),
// whose validators never read it, yet @ark/schema builds unions at import (its intrinsic `jsonData`, `key`, ...) and each
// shape has a few: measured, about a fifth of `nic validate`'s start-up (P2). This makes the two fields lazy getters,
// computed on first read exactly as before. It fails the build loudly if @ark/schema's source changes.
const EAGER = `    discriminant = this.discriminate();
    discriminantJson = this.discriminant ? discriminantToJson(this.discriminant) : null;
`;
const LAZY = `    get discriminant() { return this.cacheGetter("discriminant", this.discriminate()); }
    get discriminantJson() { return this.cacheGetter("discriminantJson", this.discriminant ? discriminantToJson(this.discriminant) : null); }
`;

export const lazyArkDiscriminants: Bun.BunPlugin = {
  name: "lazy-ark-discriminants",
  setup(builder) {
    builder.onLoad({ filter: /@ark[\\/]schema[\\/]out[\\/]roots[\\/]union\.js$/ }, async ({ path }) => {
      const source = await Bun.file(path).text();
      if (!source.includes(EAGER)) throw new Error(`${path}: @ark/schema no longer computes union discriminants as expected; update src/config/build-plugin.ts`);
      return { contents: source.replace(EAGER, LAZY), loader: "js" };
    });
  },
};

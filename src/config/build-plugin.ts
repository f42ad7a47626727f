// Build steps for the nic binary (build.ts) that make work @ark/schema does at import lazy, for `nic validate`'s start-up (P2).
// Each is computed on first use exactly as before, and each fails the build loudly if @ark/schema's source changes.

// arktype's union nodes compute their discriminant (which branch to try from a value's kind or key) when they are
// constructed, for the compiled validators. NIC runs arktype jitless (./jitless.ts), whose validators never read it, yet
// @ark/schema builds unions at import (its intrinsic `jsonData`, `key`, ...) and each shape has a few: measured, about a
// fifth of `nic validate`'s start-up. The two fields become lazy getters.
const EAGER_DISCRIMINANT = `    discriminant = this.discriminate();
    discriminantJson = this.discriminant ? discriminantToJson(this.discriminant) : null;
`;
const LAZY_DISCRIMINANT = `    get discriminant() { return this.cacheGetter("discriminant", this.discriminate()); }
    get discriminantJson() { return this.cacheGetter("discriminantJson", this.discriminant ? discriminantToJson(this.discriminant) : null); }
`;

// @ark/schema builds a scope of JSON types at import (jsonPrimitive, jsonObject, and the cyclic jsonData). It reads them
// only for defaults (the shapes have none) and for the JSON Schema of a literal (`nic schema`): measured about 2.5 ms of
// CPU, a tenth of `nic validate` once the JIT waits (src/cli/jit.ts). They become getters that build that scope on first
// read; not enumerable, because every new scope enumerates the intrinsics (and skips these).
const EAGER_JSON = "const intrinsicJson = schemaScope({";
const LAZY_JSON = "let intrinsicJson;\nconst buildIntrinsicJson = () => intrinsicJson ??= schemaScope({";
const EAGER_JSON_SPREAD = "    ...intrinsicJson,\n";
const EAGER_REGISTRY = "$ark.intrinsic = { ...intrinsic };";
const LAZY_REGISTRY = `for (const name of ["jsonPrimitive", "jsonObject", "jsonData"]) Object.defineProperty(intrinsic, name, { get: () => buildIntrinsicJson()[name] });
$ark.intrinsic = Object.defineProperties({}, Object.getOwnPropertyDescriptors(intrinsic));`;

function patch(name: string, filter: RegExp, replacements: [string, string][]): Bun.BunPlugin {
  return {
    name,
    setup(builder) {
      builder.onLoad({ filter }, async ({ path }) => {
        let source = await Bun.file(path).text();
        for (const [eager, lazy] of replacements) {
          if (source.split(eager).length !== 2) throw new Error(`${path}: @ark/schema's source changed (${name}); update src/config/build-plugin.ts`);
          source = source.replace(eager, lazy);
        }
        return { contents: source, loader: "js" };
      });
    },
  };
}

export const lazyArkDiscriminants = patch("lazy-ark-discriminants", /@ark[\\/]schema[\\/]out[\\/]roots[\\/]union\.js$/, [[EAGER_DISCRIMINANT, LAZY_DISCRIMINANT]]);

export const lazyArkJsonIntrinsics = patch("lazy-ark-json-intrinsics", /@ark[\\/]schema[\\/]out[\\/]intrinsic\.js$/, [
  [EAGER_JSON, LAZY_JSON],
  [EAGER_JSON_SPREAD, ""],
  [EAGER_REGISTRY, LAZY_REGISTRY],
]);

// Choosing the backend: --state forms, the stage-01 remote default (nebari-stages.md §5), the local default beside the config.
import { expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { defaultStateLocation, openBackend, resolveStateLocation } from "../../src/state/open.ts";

const inputs = { projectName: "my-proj", namespace: "dev", region: "us-west-2", terraformStateType: "remote" as const };

test("remote state defaults to the stage-01 storage, named from the unescaped project name", () => {
  expect(defaultStateLocation({ ...inputs, provider: "aws" })).toBe(
    "s3://my-proj-dev-terraform-state/nic/my-proj-dev/02-infrastructure/nic-state.json?lock_table=my-proj-dev-terraform-state-lock&region=us-west-2",
  );
  expect(defaultStateLocation({ ...inputs, provider: "gcp" })).toBe("gs://my-proj-dev-terraform-state/nic/my-proj-dev/02-infrastructure/nic-state.json");
  expect(defaultStateLocation({ ...inputs, provider: "azure", azure: { storageAccountPostfix: "ab12" } })).toBe("azblob://myprojdevab12/my-proj-dev-state/nic/my-proj-dev/02-infrastructure/nic-state.json");
  expect(defaultStateLocation({ ...inputs, provider: "local" })).toBeUndefined();
  expect(defaultStateLocation({ ...inputs, provider: "aws", terraformStateType: "local" })).toBeUndefined();
});

test("without --state or remote state, the state sits beside the config", () => {
  expect(resolveStateLocation({ configPath: "conf/nebari-config.yaml", cwd: "/work" })).toBe("/work/conf/.nebari/stages/02-infrastructure/nic-state.json");
  expect(resolveStateLocation({ flag: "s.json", configPath: "nebari-config.yaml", cwd: "/work" })).toBe("/work/s.json");
  expect(resolveStateLocation({ flag: "gs://b/o", configPath: "x", cwd: "/", inputs: { ...inputs, provider: "aws" } })).toBe("gs://b/o");
  expect(resolveStateLocation({ configPath: "x", cwd: "/", inputs: { ...inputs, provider: "gcp" } })).toStartWith("gs://my-proj-dev-terraform-state/");
});

test.each([["s3://bucket-only"], ["gs://bucket/"], ["azblob://account/container-only"], ["ftp://host/file"]])("%s is refused as INPUT_INVALID", async (location) => {
  const err = await openBackend(location, {}).catch((e) => e);
  expect(err).toBeInstanceOf(NicError);
  expect(err.code).toBe("INPUT_INVALID");
});

test("each scheme opens its backend", async () => {
  expect((await openBackend("s3://b/k.json?lock_table=t&region=eu-west-1", {})).constructor.name).toBe("S3Backend");
  expect((await openBackend("gs://b/o.json", { STORAGE_EMULATOR_HOST: "127.0.0.1:1" })).constructor.name).toBe("GcsBackend");
  expect((await openBackend("azblob://acct/c/b.json", { AZURE_STORAGE_KEY: "a2V5" })).constructor.name).toBe("AzureBlobBackend");
  expect((await openBackend("/tmp/x/nic-state.json", {})).location).toBe("/tmp/x/nic-state.json");
});

// STS (query protocol, Version=2011-06-15): who am I, and role assumption for IRSA-style flows.
import { AwsError } from "../protocols/errors.ts";
import { hex } from "../world.ts";
import { queryService } from "./service.ts";

export const stsModule = queryService({
  signingName: "sts",
  envName: "STS",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  actions: {
    GetCallerIdentity: (_p, world) => ({ Arn: `arn:aws:iam::${world.account}:user/sandbox`, UserId: "AIDASANDBOXUSER00001", Account: world.account }),
    AssumeRole(p, world) {
      if (!p.RoleArn || !p.RoleSessionName) throw new AwsError("ValidationError", "RoleArn and RoleSessionName are required");
      const roleName = String(p.RoleArn).split("/").pop();
      return {
        Credentials: {
          AccessKeyId: `ASIA${hex(16).toUpperCase()}`,
          SecretAccessKey: hex(40),
          SessionToken: hex(64),
          Expiration: new Date(Date.now() + Number(p.DurationSeconds ?? 3600) * 1000),
        },
        AssumedRoleUser: { AssumedRoleId: `AROASANDBOX:${p.RoleSessionName}`, Arn: `arn:aws:sts::${world.account}:assumed-role/${roleName}/${p.RoleSessionName}` },
      };
    },
  },
});

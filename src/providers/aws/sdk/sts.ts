// The part of this AWS service NIC calls, named one by one: the bundle leaves the rest out, so it loads faster.
export { STSClient } from "@aws-sdk/client-sts";
export { GetCallerIdentityCommand } from "@aws-sdk/client-sts";

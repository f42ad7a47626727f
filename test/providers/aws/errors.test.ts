// awsRetryClassifier: which AWS errors are worth retrying for a while (IAM eventual consistency), and for how long.
import { expect, test } from "bun:test";
import { awsRetryClassifier } from "../../../src/providers/aws/index.ts";

const err = (name: string, message: string) => Object.assign(new Error(message), { name });

test.each([
  ["InvalidParameterException", "Role with arn: arn:aws:iam::1:role/x, does not exist.", 120_000],
  ["InvalidParameterException", "Role could not be assumed because the trusted entity is not correct", 120_000],
  ["InvalidParameterException", "Error in role params", 120_000],
  ["InvalidParameterException", "The provided role doesn't have the Amazon EKS Managed Policies associated with it", 120_000],
  ["MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:oidc-provider/x\"", 120_000],
  ["InvalidParameterException", "Subnets specified must be in at least two different AZs", undefined],
  ["ResourceInUseException", "Cluster already exists with name: x", undefined],
  ["ThrottlingException", "Rate exceeded", undefined],
])("%s: %s → %p", (name, message, budget) => {
  expect(awsRetryClassifier(err(name, message))).toBe(budget);
});

test("non-errors are not retried", () => {
  expect(awsRetryClassifier(undefined)).toBeUndefined();
  expect(awsRetryClassifier("role does not exist")).toBeUndefined();
});

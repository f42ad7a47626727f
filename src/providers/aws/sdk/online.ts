// The calls of `nic validate --online` (online.ts), named one by one so the bundle leaves the rest of each SDK out.
export { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
export { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand, EKSClient } from "@aws-sdk/client-eks";

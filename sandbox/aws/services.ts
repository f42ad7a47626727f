// The one list of AWS service modules the sandbox serves. Add a service here and nowhere else.
import { autoscalingModule } from "./autoscaling.ts";
import { ec2Module } from "./ec2/index.ts";
import { ecrModule } from "./ecr.ts";
import { efsModule } from "./efs.ts";
import { elbModule } from "./elb.ts";
import { eksModule } from "./eks/index.ts";
import type { EksRuntime } from "./eks/runtime.ts";
import { iamModule } from "./iam.ts";
import { resourceGroupsModule } from "./resource-groups.ts";
import { s3Module } from "./s3.ts";
import type { AwsService } from "./service.ts";
import { stsModule } from "./sts.ts";

export function awsServices(eks: EksRuntime): AwsService[] {
  return [ec2Module, iamModule, stsModule, eksModule(eks), efsModule, ecrModule, resourceGroupsModule, autoscalingModule, s3Module, elbModule];
}

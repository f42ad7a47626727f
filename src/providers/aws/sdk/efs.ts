// The part of this AWS service NIC calls, named one by one: the bundle leaves the rest out, so it loads faster.
export {
  EFSClient,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeMountTargetsCommand,
  ModifyMountTargetSecurityGroupsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";

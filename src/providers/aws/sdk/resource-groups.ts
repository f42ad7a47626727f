// The part of this AWS service NIC calls, named one by one: the bundle leaves the rest out, so it loads faster.
export {
  ResourceGroupsClient,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  GetGroupQueryCommand,
  GetTagsCommand,
  TagCommand,
  UntagCommand,
  UpdateGroupCommand,
  UpdateGroupQueryCommand,
} from "@aws-sdk/client-resource-groups";

// IAM (query protocol, Version=2010-05-08): roles, managed policies and attachments, OIDC providers.
// Policy documents travel URL-encoded in responses, as real IAM sends them.
import { AwsError, notFound } from "../protocols/errors.ts";
import { list, page } from "../protocols/query.ts";
import type { Resource, Tags, World } from "../world.ts";
import { queryService, tagList, tagMap, type QueryHandler } from "./service.ts";

export interface Role extends Resource {
  path: string;
  roleId: string;
  arn: string;
  createDate: string;
  /** Epoch ms of the creation (createDate has whole seconds). */
  createdAtMs?: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  attachedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
}
export interface Policy extends Resource {
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  createDate: string;
  versions: { versionId: string; document: string; createDate: string }[];
  defaultVersionId: string;
  nextVersion: number;
}
export interface OidcProvider extends Resource {
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
}

const T = { role: "iam:role", policy: "iam:policy", oidc: "iam:oidc-provider" };
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const uniqueId = (prefix: string) => prefix + Array.from({ length: 17 }, () => ID_CHARS[(Math.random() * 32) | 0]).join("");
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const noSuch = (what: string, name: string) => notFound("NoSuchEntity", `The ${what} with name ${name} cannot be found.`);
const exists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);
const conflict = (message: string) => new AwsError("DeleteConflict", message, 409);

function parseDocument(doc: unknown): string {
  try {
    JSON.parse(String(doc));
    return String(doc);
  } catch {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
  }
}

function role(world: World, name: unknown): Role {
  const r = world.table<Role>(T.role).get(String(name));
  if (!r) throw noSuch("role", String(name));
  return r;
}

function policy(world: World, arn: unknown): Policy {
  const p = world.table<Policy>(T.policy).get(String(arn));
  if (!p) throw notFound("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`);
  return p;
}

function oidc(world: World, arn: unknown): OidcProvider {
  const o = world.table<OidcProvider>(T.oidc).get(String(arn));
  if (!o) throw notFound("NoSuchEntity", `OpenIDConnect Provider not found for arn ${arn}`);
  return o;
}

const renderRole = (r: Role) => ({
  Path: r.path,
  RoleName: r.id,
  RoleId: r.roleId,
  Arn: r.arn,
  CreateDate: r.createDate,
  AssumeRolePolicyDocument: encodeURIComponent(r.assumeRolePolicyDocument),
  Description: r.description,
  MaxSessionDuration: r.maxSessionDuration,
  PermissionsBoundary: r.permissionsBoundary ? { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: r.permissionsBoundary } : undefined,
  Tags: tagList(r.tags),
  RoleLastUsed: {},
});

const attachmentCount = (world: World, arn: string) => [...world.table<Role>(T.role).values()].filter((r) => r.attachedPolicyArns.includes(arn)).length;

const renderPolicy = (p: Policy, world: World) => ({
  PolicyName: p.name,
  PolicyId: p.policyId,
  Arn: p.arn,
  Path: p.path,
  DefaultVersionId: p.defaultVersionId,
  AttachmentCount: attachmentCount(world, p.arn),
  PermissionsBoundaryUsageCount: 0,
  IsAttachable: true,
  Description: p.description,
  CreateDate: p.createDate,
  UpdateDate: p.versions.find((v) => v.versionId === p.defaultVersionId)?.createDate ?? p.createDate,
  Tags: tagList(p.tags),
});

/** IAM pagination: Marker / MaxItems → IsTruncated / Marker. */
function paged<T>(items: T[], p: Record<string, any>, key: string, render: (x: T) => unknown) {
  const { items: pageItems, next } = page(items, p.MaxItems ?? 100, p.Marker);
  return { [key]: pageItems.map(render), IsTruncated: next !== undefined, Marker: next };
}

function retag(tags: Tags, p: Record<string, any>) {
  Object.assign(tags, tagMap(list<any>(p.Tags)));
  for (const key of list<string>(p.TagKeys)) delete tags[key];
}

const roleActions: Record<string, QueryHandler> = {
  CreateRole(p, world) {
    const table = world.table<Role>(T.role);
    if (table.has(p.RoleName)) throw exists(`Role with name ${p.RoleName} already exists.`);
    const path = p.Path ?? "/";
    const r = world.put<Role>({
      type: T.role,
      id: p.RoleName,
      name: p.RoleName,
      tags: tagMap(list<any>(p.Tags)),
      path,
      roleId: uniqueId("AROA"),
      arn: `arn:aws:iam::${world.account}:role${path}${p.RoleName}`,
      createDate: now(),
      createdAtMs: Date.now(), // createDate has whole seconds; IAM propagation is timed from this
      assumeRolePolicyDocument: parseDocument(p.AssumeRolePolicyDocument),
      description: p.Description,
      maxSessionDuration: Number(p.MaxSessionDuration ?? 3600),
      permissionsBoundary: p.PermissionsBoundary,
      attachedPolicyArns: [],
      inlinePolicies: {},
    });
    return { Role: renderRole(r) };
  },
  GetRole: (p, world) => ({ Role: renderRole(role(world, p.RoleName)) }),
  ListRoles: (p, world) => paged([...world.table<Role>(T.role).values()].filter((r) => r.path.startsWith(p.PathPrefix ?? "/")), p, "Roles", renderRole),
  UpdateRole(p, world) {
    const r = role(world, p.RoleName);
    if (p.Description !== undefined) r.description = p.Description;
    if (p.MaxSessionDuration !== undefined) r.maxSessionDuration = Number(p.MaxSessionDuration);
    world.changed();
    return {};
  },
  UpdateRoleDescription(p, world) {
    const r = role(world, p.RoleName);
    r.description = p.Description;
    world.changed();
    return { Role: renderRole(r) };
  },
  UpdateAssumeRolePolicy(p, world) {
    role(world, p.RoleName).assumeRolePolicyDocument = parseDocument(p.PolicyDocument);
    world.changed();
    return undefined;
  },
  PutRolePermissionsBoundary(p, world) {
    role(world, p.RoleName).permissionsBoundary = p.PermissionsBoundary;
    world.changed();
    return undefined;
  },
  DeleteRolePermissionsBoundary(p, world) {
    role(world, p.RoleName).permissionsBoundary = undefined;
    world.changed();
    return undefined;
  },
  DeleteRole(p, world) {
    const r = role(world, p.RoleName);
    if (r.attachedPolicyArns.length || Object.keys(r.inlinePolicies).length)
      throw conflict("Cannot delete entity, must detach all policies first.");
    world.remove(T.role, r.id);
    return undefined;
  },
  TagRole(p, world) {
    retag(role(world, p.RoleName).tags, p);
    world.changed();
    return undefined;
  },
  UntagRole(p, world) {
    retag(role(world, p.RoleName).tags, p);
    world.changed();
    return undefined;
  },
  ListRoleTags: (p, world) => ({ Tags: tagList(role(world, p.RoleName).tags), IsTruncated: false }),
  ListRolePolicies: (p, world) => paged(Object.keys(role(world, p.RoleName).inlinePolicies), p, "PolicyNames", (n) => n),
  PutRolePolicy(p, world) {
    role(world, p.RoleName).inlinePolicies[p.PolicyName] = parseDocument(p.PolicyDocument);
    world.changed();
    return undefined;
  },
  GetRolePolicy(p, world) {
    const doc = role(world, p.RoleName).inlinePolicies[p.PolicyName];
    if (doc === undefined) throw noSuch("role policy", p.PolicyName);
    return { RoleName: p.RoleName, PolicyName: p.PolicyName, PolicyDocument: encodeURIComponent(doc) };
  },
  DeleteRolePolicy(p, world) {
    const r = role(world, p.RoleName);
    if (!(p.PolicyName in r.inlinePolicies)) throw noSuch("role policy", p.PolicyName);
    delete r.inlinePolicies[p.PolicyName];
    world.changed();
    return undefined;
  },
  ListAttachedRolePolicies(p, world) {
    const arns = role(world, p.RoleName).attachedPolicyArns;
    return paged(arns, p, "AttachedPolicies", (arn) => ({ PolicyArn: arn, PolicyName: arn.slice(arn.lastIndexOf("/") + 1) }));
  },
  AttachRolePolicy(p, world) {
    const r = role(world, p.RoleName);
    const arn = String(p.PolicyArn);
    // AWS-managed policies (account "aws") are always there; customer policies must exist.
    if (!arn.startsWith("arn:aws:iam::aws:policy/")) policy(world, arn);
    if (!r.attachedPolicyArns.includes(arn)) r.attachedPolicyArns.push(arn);
    world.changed();
    return undefined;
  },
  DetachRolePolicy(p, world) {
    const r = role(world, p.RoleName);
    if (!r.attachedPolicyArns.includes(p.PolicyArn)) throw notFound("NoSuchEntity", `Policy ${p.PolicyArn} was not found.`);
    r.attachedPolicyArns = r.attachedPolicyArns.filter((a) => a !== p.PolicyArn);
    world.changed();
    return undefined;
  },
  ListInstanceProfilesForRole: (p, world) => (role(world, p.RoleName), { InstanceProfiles: [], IsTruncated: false }),
};

const policyActions: Record<string, QueryHandler> = {
  CreatePolicy(p, world) {
    const path = p.Path ?? "/";
    const arn = `arn:aws:iam::${world.account}:policy${path}${p.PolicyName}`;
    if (world.table(T.policy).has(arn)) throw exists(`A policy called ${p.PolicyName} already exists. Duplicate names are not allowed.`);
    const created = now();
    const pol = world.put<Policy>({
      type: T.policy,
      id: arn,
      name: p.PolicyName,
      tags: tagMap(list<any>(p.Tags)),
      path,
      policyId: uniqueId("ANPA"),
      arn,
      description: p.Description,
      createDate: created,
      versions: [{ versionId: "v1", document: parseDocument(p.PolicyDocument), createDate: created }],
      defaultVersionId: "v1",
      nextVersion: 2,
    });
    return { Policy: renderPolicy(pol, world) };
  },
  GetPolicy: (p, world) => ({ Policy: renderPolicy(policy(world, p.PolicyArn), world) }),
  ListPolicies(p, world) {
    const local = [...world.table<Policy>(T.policy).values()].filter((x) => x.path.startsWith(p.PathPrefix ?? "/"));
    return paged(local, p, "Policies", (x) => renderPolicy(x, world));
  },
  GetPolicyVersion(p, world) {
    const pol = policy(world, p.PolicyArn);
    const v = pol.versions.find((x) => x.versionId === p.VersionId);
    if (!v) throw notFound("NoSuchEntity", `Policy ${p.PolicyArn} version ${p.VersionId} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: encodeURIComponent(v.document), VersionId: v.versionId, IsDefaultVersion: v.versionId === pol.defaultVersionId, CreateDate: v.createDate } };
  },
  ListPolicyVersions(p, world) {
    const pol = policy(world, p.PolicyArn);
    return paged(pol.versions, p, "Versions", (v) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === pol.defaultVersionId, CreateDate: v.createDate }));
  },
  CreatePolicyVersion(p, world) {
    const pol = policy(world, p.PolicyArn);
    if (pol.versions.length >= 5) throw new AwsError("LimitExceeded", "A managed policy can have up to 5 versions.", 409);
    const v = { versionId: `v${pol.nextVersion++}`, document: parseDocument(p.PolicyDocument), createDate: now() };
    pol.versions.push(v);
    if (p.SetAsDefault === "true") pol.defaultVersionId = v.versionId;
    world.changed();
    return { PolicyVersion: { VersionId: v.versionId, IsDefaultVersion: v.versionId === pol.defaultVersionId, CreateDate: v.createDate } };
  },
  DeletePolicyVersion(p, world) {
    const pol = policy(world, p.PolicyArn);
    if (p.VersionId === pol.defaultVersionId) throw conflict("Cannot delete the default version of a policy.");
    pol.versions = pol.versions.filter((v) => v.versionId !== p.VersionId);
    world.changed();
    return undefined;
  },
  DeletePolicy(p, world) {
    const pol = policy(world, p.PolicyArn);
    if (attachmentCount(world, pol.arn)) throw conflict("Cannot delete a policy attached to entities.");
    world.remove(T.policy, pol.id);
    return undefined;
  },
  TagPolicy(p, world) {
    retag(policy(world, p.PolicyArn).tags, p);
    world.changed();
    return undefined;
  },
  UntagPolicy(p, world) {
    retag(policy(world, p.PolicyArn).tags, p);
    world.changed();
    return undefined;
  },
  ListPolicyTags: (p, world) => ({ Tags: tagList(policy(world, p.PolicyArn).tags), IsTruncated: false }),
};

const renderOidc = (o: OidcProvider) => ({
  Url: o.url,
  ClientIDList: o.clientIds,
  ThumbprintList: o.thumbprints,
  CreateDate: o.createDate,
  Tags: tagList(o.tags),
});

const oidcActions: Record<string, QueryHandler> = {
  CreateOpenIDConnectProvider(p, world) {
    const url = String(p.Url).replace(/^https:\/\//, "");
    const arn = `arn:aws:iam::${world.account}:oidc-provider/${url}`;
    if (world.table(T.oidc).has(arn)) throw exists(`Provider with url https://${url} already exists.`);
    const o = world.put<OidcProvider>({
      type: T.oidc,
      id: arn,
      name: url,
      tags: tagMap(list<any>(p.Tags)),
      url,
      clientIds: list<string>(p.ClientIDList),
      thumbprints: list<string>(p.ThumbprintList),
      createDate: now(),
    });
    return { OpenIDConnectProviderArn: arn, Tags: tagList(o.tags) };
  },
  GetOpenIDConnectProvider: (p, world) => renderOidc(oidc(world, p.OpenIDConnectProviderArn)),
  ListOpenIDConnectProviders: (_p, world) => ({ OpenIDConnectProviderList: [...world.table<OidcProvider>(T.oidc).keys()].map((Arn) => ({ Arn })) }),
  DeleteOpenIDConnectProvider(p, world) {
    world.remove(T.oidc, oidc(world, p.OpenIDConnectProviderArn).id);
    return undefined;
  },
  UpdateOpenIDConnectProviderThumbprint(p, world) {
    oidc(world, p.OpenIDConnectProviderArn).thumbprints = list<string>(p.ThumbprintList);
    world.changed();
    return undefined;
  },
  AddClientIDToOpenIDConnectProvider(p, world) {
    const o = oidc(world, p.OpenIDConnectProviderArn);
    if (!o.clientIds.includes(p.ClientID)) o.clientIds.push(p.ClientID);
    world.changed();
    return undefined;
  },
  RemoveClientIDFromOpenIDConnectProvider(p, world) {
    const o = oidc(world, p.OpenIDConnectProviderArn);
    o.clientIds = o.clientIds.filter((c) => c !== p.ClientID);
    world.changed();
    return undefined;
  },
  TagOpenIDConnectProvider(p, world) {
    retag(oidc(world, p.OpenIDConnectProviderArn).tags, p);
    world.changed();
    return undefined;
  },
  UntagOpenIDConnectProvider(p, world) {
    retag(oidc(world, p.OpenIDConnectProviderArn).tags, p);
    world.changed();
    return undefined;
  },
};

export const iamModule = queryService({
  signingName: "iam",
  envName: "IAM",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  actions: {
    ...roleActions,
    ...policyActions,
    ...oidcActions,
    GetUser: (p, world) => ({
      User: { Path: "/", UserName: p.UserName ?? "sandbox", UserId: "AIDASANDBOXUSER00001", Arn: `arn:aws:iam::${world.account}:user/${p.UserName ?? "sandbox"}`, CreateDate: "2026-01-01T00:00:00Z" },
    }),
  },
});

// SDK v3 clients, loaded on first use (so `nic --help` loads no SDK), configured from the default credential
// chain and the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables.
import type * as AutoScaling from "./sdk/auto-scaling.ts";
import type * as EC2 from "./sdk/ec2.ts";
import type * as ECR from "./sdk/ecr.ts";
import type * as EFS from "./sdk/efs.ts";
import type * as EKS from "./sdk/eks.ts";
import type * as IAM from "./sdk/iam.ts";
import type * as ResourceGroups from "./sdk/resource-groups.ts";
import { connectTimeout, deadlines, isSdkConnectTimeout, isSdkTimeout, requestTimeout } from "../../net/deadlines.ts";
import { issuerThumbprint } from "./thumbprint.ts";

export interface AwsOptions {
  region: string;
  /** Environment to read credentials and endpoints from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Replaces the HTTP layer of every client (recording.ts: record or replay the conversation). */
  requestHandler?: unknown;
  /** Replaces the TLS look-up of the OIDC issuer's thumbprint (replayed runs have no issuer to ask). */
  thumbprint?: (issuerUrl: string, signal: AbortSignal) => Promise<string>;
}

/** A client and its module (for the Command classes). */
export interface Service<M, C> {
  sdk: M;
  client: C;
}

export type Ec2 = Service<typeof EC2, EC2.EC2Client>;
export type Iam = Service<typeof IAM, IAM.IAMClient>;
export type Eks = Service<typeof EKS, EKS.EKSClient>;
export type Efs = Service<typeof EFS, EFS.EFSClient>;
export type Ecr = Service<typeof ECR, ECR.ECRClient>;
export type Groups = Service<typeof ResourceGroups, ResourceGroups.ResourceGroupsClient>;
export type Asg = Service<typeof AutoScaling, AutoScaling.AutoScalingClient>;

export interface AwsClients {
  region: string;
  /** The OIDC issuer's thumbprint (a TLS handshake unless replaced). */
  thumbprint(issuerUrl: string, signal: AbortSignal): Promise<string>;
  ec2(): Promise<Ec2>;
  iam(): Promise<Iam>;
  eks(): Promise<Eks>;
  efs(): Promise<Efs>;
  ecr(): Promise<Ecr>;
  groups(): Promise<Groups>;
  asg(): Promise<Asg>;
  /** Runs `read` once for concurrent callers with the same key (two kinds reading the same route tables). */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** The client settings for one service: region, endpoint override, explicit credentials when the env has them. */
export function clientConfig(opts: AwsOptions, envName: string) {
  const env = opts.env ?? process.env;
  const endpoint = env[`AWS_ENDPOINT_URL_${envName}`] ?? env.AWS_ENDPOINT_URL;
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  // No call without a deadline (net/deadlines.ts); the SDK retries a timed-out request as transient.
  const { connectMs, requestMs } = deadlines(env);
  const requestHandler = opts.requestHandler ?? { connectionTimeout: connectMs, requestTimeout: requestMs, throwOnRequestTimeout: true };
  return { region: opts.region, ...(endpoint && { endpoint }), ...(credentials && { credentials }), requestHandler: requestHandler as any };
}

/**
 * After the SDK's retries, a timed-out call fails with REQUEST_TIMEOUT naming it (`ec2:DescribeVpcs`), at the connect stage
 * when no connection to `endpoint` opened in time; other errors carry `$call`.
 */
export function nameTimeouts(client: { middlewareStack: { add: (mw: any, opts: any) => void } }, service: string, env?: Record<string, string | undefined>, endpoint?: string): void {
  const { requestMs, connectMs } = deadlines(env ?? process.env);
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (err) {
        const call = `${service}:${(context.commandName ?? "request").replace(/Command$/, "")}`;
        const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        if (isSdkConnectTimeout(err)) throw connectTimeout(call, endpoint ?? `the ${service} endpoint`, connectMs, attempts, err);
        if (isSdkTimeout(err)) throw requestTimeout(call, requestMs, attempts, err);
        if (typeof err === "object" && err !== null) Object.assign(err, { $call: call }); // for the error document (deploy/denied.ts)
        throw err;
      }
    },
    { step: "initialize", name: "nicNameTimeouts" },
  );
  // Inside the SDK's retry loop: a create that a repeat would duplicate (no token, no unique name) and whose answer did not
  // come in time may still be made, so it is not sent again blind (two VPCs); the journal holds a rerun off until it shows.
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (err) {
        const command = (context.commandName ?? "").replace(/Command$/, "");
        if (!isSdkTimeout(err) || isSdkConnectTimeout(err) || !DUPLICABLE.has(command)) throw err;
        throw requestTimeout(`${service}:${command}`, requestMs, 1); // no cause: the SDK would retry it as transient
      }
    },
    { step: "deserialize", name: "nicNoBlindCreateResend", priority: "low" },
  );
}

/**
 * The creates NIC makes that a second call would duplicate. The others carry a token (CreateRouteTable, EKS, EFS), are
 * refused a second time (names: IAM, ECR, security groups, mount targets; CIDRs: subnets) or change nothing twice (tags).
 */
const DUPLICABLE = new Set(["CreateVpc", "CreateInternetGateway", "CreatePolicyVersion"]);

/** The IAM action prefix of a service, where it is not its environment name (calls are named as IAM names actions). */
const IAM_PREFIX: Record<string, string> = { EFS: "elasticfilesystem", AUTO_SCALING: "autoscaling" };

export function awsClients(opts: AwsOptions): AwsClients {
  const loaded = new Map<string, Promise<unknown>>();
  const inFlight = new Map<string, Promise<unknown>>();
  function lazy<S>(envName: string, load: () => Promise<any>, clientClass: string): () => Promise<S> {
    return () => {
      let service = loaded.get(envName);
      if (!service) {
        service = load().then((sdk) => {
          const config = clientConfig(opts, envName);
          const client = new sdk[clientClass](config);
          nameTimeouts(client, IAM_PREFIX[envName] ?? envName.toLowerCase().replace(/_/g, "-"), opts.env, config.endpoint);
          return { sdk, client };
        });
        loaded.set(envName, service);
      }
      return service as Promise<S>;
    };
  }
  return {
    region: opts.region,
    thumbprint: opts.thumbprint ?? issuerThumbprint,
    ec2: lazy("EC2", () => import("./sdk/ec2.ts"), "EC2Client"),
    iam: lazy("IAM", () => import("./sdk/iam.ts"), "IAMClient"),
    eks: lazy("EKS", () => import("./sdk/eks.ts"), "EKSClient"),
    efs: lazy("EFS", () => import("./sdk/efs.ts"), "EFSClient"),
    ecr: lazy("ECR", () => import("./sdk/ecr.ts"), "ECRClient"),
    groups: lazy("RESOURCE_GROUPS", () => import("./sdk/resource-groups.ts"), "ResourceGroupsClient"),
    asg: lazy("AUTO_SCALING", () => import("./sdk/auto-scaling.ts"), "AutoScalingClient"),
    shared<T>(key: string, read: () => Promise<T>): Promise<T> {
      let p = inFlight.get(key) as Promise<T> | undefined;
      if (!p) {
        p = read().finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
  };
}

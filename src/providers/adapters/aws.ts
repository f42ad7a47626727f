// AWS for `nic deploy`: stage 02 from src/providers/aws, EKS tokens for the Kubernetes API.
import type { DeployProvider } from "../../deploy/provider.ts";
import { awsKinds, awsOutputs, awsRetryClassifier, desiredResources, eksToken } from "../aws/index.ts";

export const awsProvider: DeployProvider = {
  desired: (config) => desiredResources(config),
  kinds: (config, env) => awsKinds({ region: config.amazon_web_services!.region, env }),
  classify: awsRetryClassifier,
  clusterOutputs: (config, actual) => awsOutputs(config, actual),
  async connection(config, cluster, env) {
    const region = config.amazon_web_services!.region;
    return { endpoint: cluster.cluster.endpoint, caPem: cluster.cluster.ca_certificate_pem, auth: { token: () => eksToken(config.cluster_name, region, env) } };
  },
  token: (config, env) => eksToken(config.cluster_name, config.amazon_web_services!.region, env),
  tokenArgs: (config) => ["kubeconfig", "token", "--cluster", config.cluster_name, "--region", config.amazon_web_services!.region],
};

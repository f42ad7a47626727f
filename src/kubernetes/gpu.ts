// GPU support in kube-system, as Nebari's nvidia-installer module: the device plugin on AWS GPU node groups,
// the COS driver installer on GKE nodes with accelerators.
import type { Resource } from "../engine/types.ts";
import { object } from "./objects.ts";

const DEVICE_PLUGIN_DIR = "/var/lib/kubelet/device-plugins";

export function awsDevicePlugin(gpuNodeGroups: string[]): Resource {
  const labels = { name: "nvidia-device-plugin-ds" };
  return object("DaemonSet", "nvidia-device-plugin-daemonset-1.12", {
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: nodeAffinity({ key: "eks.amazonaws.com/nodegroup", operator: "In", values: gpuNodeGroups }),
          volumes: [{ name: "device-plugin", hostPath: { path: DEVICE_PLUGIN_DIR } }],
          containers: [{
            name: "nvidia-device-plugin-ctr",
            image: "nvidia/k8s-device-plugin:1.11",
            volumeMounts: [{ name: "device-plugin", mountPath: DEVICE_PLUGIN_DIR }],
            securityContext: { capabilities: { drop: ["ALL"] } },
          }],
          tolerations: [
            { key: "CriticalAddonsOnly", operator: "Exists" },
            { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
            { key: "dedicated", operator: "Equal", value: "nebari", effect: "NoSchedule" },
          ],
        },
      },
      updateStrategy: { type: "RollingUpdate" },
    },
  }, { namespace: "kube-system", immutableFields: ["spec.selector"] });
}

export function gcpDriverInstaller(): Resource {
  const selector = { "k8s-app": "nvidia-driver-installer" };
  const hostPath = (name: string, path: string) => ({ name, hostPath: { path } });
  const env = (name: string, value: string) => ({ name, value });
  const mount = (name: string, mountPath: string) => ({ name, mountPath });
  return object("DaemonSet", "nvidia-driver-installer", {
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { name: "nvidia-driver-installer", ...selector } },
        spec: {
          affinity: nodeAffinity({ key: "cloud.google.com/gke-accelerator", operator: "Exists" }),
          tolerations: [{ operator: "Exists" }],
          hostNetwork: true,
          hostPID: true,
          volumes: [
            hostPath("dev", "/dev"),
            hostPath("vulkan-icd-mount", "/home/kubernetes/bin/nvidia/vulkan/icd.d"),
            hostPath("nvidia-install-dir-host", "/home/kubernetes/bin/nvidia"),
            hostPath("root-mount", "/"),
            hostPath("cos-tools", "/var/lib/cos-tools"),
          ],
          initContainers: [{
            image: "cos-nvidia-installer:fixed",
            name: "nvidia-driver-installer",
            command: ["/cos-gpu-installer", "install", "--version=latest"],
            resources: { requests: { cpu: "150m" } }, // Nebari writes 0.15; the API server stores it as 150m
            securityContext: { privileged: true },
            env: [
              env("NVIDIA_INSTALL_DIR_HOST", "/home/kubernetes/bin/nvidia"),
              env("NVIDIA_INSTALL_DIR_CONTAINER", "/usr/local/nvidia"),
              env("VULKAN_ICD_DIR_HOST", "/home/kubernetes/bin/nvidia/vulkan/icd.d"),
              env("VULKAN_ICD_DIR_CONTAINER", "/etc/vulkan/icd.d"),
              env("ROOT_MOUNT_DIR", "/root"),
              env("COS_TOOLS_DIR_HOST", "/var/lib/cos-tools"),
              env("COS_TOOLS_DIR_CONTAINER", "/build/cos-tools"),
            ],
            volumeMounts: [
              mount("nvidia-install-dir-host", "/usr/local/nvidia"),
              mount("vulkan-icd-mount", "/etc/vulkan/icd.d"),
              mount("dev", "/dev"),
              mount("root-mount", "/root"),
              mount("cos-tools", "/build/cos-tools"),
            ],
          }],
          containers: [{ image: "gcr.io/google-containers/pause:2.0", name: "pause" }],
        },
      },
      updateStrategy: { type: "RollingUpdate" },
    },
  }, { namespace: "kube-system", labels: selector, immutableFields: ["spec.selector"] });
}

function nodeAffinity(expression: Record<string, unknown>) {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expression] }] } } };
}

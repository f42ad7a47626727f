// Every region (and zone) each provider has offered, for offline checks. `--online` asks the cloud itself.
// Sources, transcribed by hand (this machine has no network; refresh them from the same pages):
// - AWS: docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html and the AZ lists of each region's page;
//   the region names match the S3 SDK's BucketLocationConstraint enum (@aws-sdk/client-s3 3.x) plus us-east-1 and GovCloud.
//   Zone letters are the names EC2 DescribeAvailabilityZones returns (each account sees its own mapping of the same letters).
// - GCP: cloud.google.com/compute/docs/regions-zones (gcloud compute zones list).
// - Azure: `az account list-locations` (name and displayName of every physical region), learn.microsoft.com/azure/reliability.
// Recorded 2026-12-03. NOT CHECKED offline: AWS from the SDK's region enum; GCP and Azure lists were typed from memory and
// may miss regions opened since. That is why a region missing here is only a warning, and `--online` asks the cloud.

/** AWS region → the letters of its availability zones. */
export const AWS_REGIONS: Record<string, string> = {
  "us-east-1": "abcdef", "us-east-2": "abc", "us-west-1": "abc", "us-west-2": "abcd",
  "af-south-1": "abc", "ap-east-1": "abc", "ap-east-2": "abc", "ap-south-1": "abc", "ap-south-2": "abc",
  "ap-northeast-1": "acd", "ap-northeast-2": "abcd", "ap-northeast-3": "abc",
  "ap-southeast-1": "abc", "ap-southeast-2": "abc", "ap-southeast-3": "abc", "ap-southeast-4": "abc", "ap-southeast-5": "abc",
  "ap-southeast-6": "abc", "ap-southeast-7": "abc",
  "ca-central-1": "abd", "ca-west-1": "abc",
  "eu-central-1": "abc", "eu-central-2": "abc", "eu-west-1": "abc", "eu-west-2": "abc", "eu-west-3": "abc",
  "eu-south-1": "abc", "eu-south-2": "abc", "eu-north-1": "abc",
  "il-central-1": "abc", "me-south-1": "abc", "me-central-1": "abc", "mx-central-1": "abc", "sa-east-1": "abc",
  "cn-north-1": "abc", "cn-northwest-1": "abc", "us-gov-east-1": "abc", "us-gov-west-1": "abc",
};

/** GCP region → the letters of its zones. */
export const GCP_REGIONS: Record<string, string> = {
  "africa-south1": "abc", "asia-east1": "abc", "asia-east2": "abc", "asia-northeast1": "abc", "asia-northeast2": "abc",
  "asia-northeast3": "abc", "asia-south1": "abc", "asia-south2": "abc", "asia-southeast1": "abc", "asia-southeast2": "abc",
  "australia-southeast1": "abc", "australia-southeast2": "abc", "europe-central2": "abc", "europe-north1": "abc", "europe-north2": "abc",
  "europe-southwest1": "abc", "europe-west1": "bcd", "europe-west2": "abc", "europe-west3": "abc", "europe-west4": "abc",
  "europe-west6": "abc", "europe-west8": "abc", "europe-west9": "abc", "europe-west10": "abc", "europe-west12": "abc",
  "me-central1": "abc", "me-central2": "abc", "me-west1": "abc", "northamerica-northeast1": "abc", "northamerica-northeast2": "abc",
  "northamerica-south1": "abc", "southamerica-east1": "abc", "southamerica-west1": "abc", "us-central1": "abcf", "us-east1": "bcd",
  "us-east4": "abc", "us-east5": "abc", "us-south1": "abc", "us-west1": "abc", "us-west2": "abc", "us-west3": "abc", "us-west4": "abc",
};

/** Azure canonical region name → display name (Nebari's own default, `Central US`, is a display name). */
export const AZURE_REGIONS: Record<string, string> = {
  eastus: "East US", eastus2: "East US 2", centralus: "Central US", northcentralus: "North Central US", southcentralus: "South Central US",
  westcentralus: "West Central US", westus: "West US", westus2: "West US 2", westus3: "West US 3",
  canadacentral: "Canada Central", canadaeast: "Canada East", brazilsouth: "Brazil South", brazilsoutheast: "Brazil Southeast",
  mexicocentral: "Mexico Central", chilecentral: "Chile Central",
  northeurope: "North Europe", westeurope: "West Europe", uksouth: "UK South", ukwest: "UK West", francecentral: "France Central",
  francesouth: "France South", germanywestcentral: "Germany West Central", germanynorth: "Germany North", switzerlandnorth: "Switzerland North",
  switzerlandwest: "Switzerland West", norwayeast: "Norway East", norwaywest: "Norway West", swedencentral: "Sweden Central",
  swedensouth: "Sweden South", polandcentral: "Poland Central", italynorth: "Italy North", spaincentral: "Spain Central",
  austriaeast: "Austria East", belgiumcentral: "Belgium Central", denmarkeast: "Denmark East",
  eastasia: "East Asia", southeastasia: "Southeast Asia", japaneast: "Japan East", japanwest: "Japan West", koreacentral: "Korea Central",
  koreasouth: "Korea South", centralindia: "Central India", southindia: "South India", westindia: "West India",
  jioindiawest: "Jio India West", jioindiacentral: "Jio India Central", indonesiacentral: "Indonesia Central", malaysiawest: "Malaysia West",
  newzealandnorth: "New Zealand North", australiaeast: "Australia East", australiasoutheast: "Australia Southeast",
  australiacentral: "Australia Central", australiacentral2: "Australia Central 2",
  uaenorth: "UAE North", uaecentral: "UAE Central", qatarcentral: "Qatar Central", israelcentral: "Israel Central",
  southafricanorth: "South Africa North", southafricawest: "South Africa West",
};

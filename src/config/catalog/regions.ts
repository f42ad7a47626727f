// Every region (and zone) each provider has offered, for offline checks. `--online` asks the cloud itself, and a region
// missing here is only a warning offline, because a stored list is always older than the cloud.
// This machine has no network: each list was checked against the sources below on 2026-12-03 (found with the project's
// search tools). Refresh from the same sources; test/config/catalog-sources.test.ts keeps the AWS list equal to the SDK's.
//
// - AWS regions: the SDK's own partition data, @aws-sdk/core 3.981.1 (package.json's version),
//   dist-es/submodules/client/util-endpoints/lib/aws/partitions.js: every region of every partition (aws, aws-cn,
//   aws-us-gov, aws-eusc and the isolated aws-iso*). CHECKED, and tested against the installed SDK.
//   AWS zone letters: the names EC2 DescribeAvailabilityZones returns; each account sees its own mapping of the same
//   letters, so a region lists every letter any account has been offered (ap-northeast-1b and ca-central-1c only exist in
//   older accounts). Cross-checked against github.com/jsonmaur/aws-regions regions.json at
//   2b0706bf481b6c54e814ea03f9bfa4c3608ef738 (2021-12-24; the regions it knows) and a third-party region table found by
//   the search tool (2025+; the newer regions). NOT from an AWS source: AWS publishes zones per account, not as a list.
//   "" = zones unknown offline (regions newer than every list found, and the isolated partitions): zones there are not
//   checked offline.
// - GCP regions and zones: docs.cloud.google.com/compute/docs/regions-zones ("Available regions and zones"), a stored copy
//   of the page found with the search tool (undated; it already lists europe-north2 and asia-southeast3). CHECKED: every
//   zone. Also agrees with github.com/tal66/cloud-regions files/result_gcp.txt at
//   93d997cda2a64498f7cad809c2c59e074c12ed28 (scraped from the same page, 2025-01-15) for the 41 regions it knows.
// - Azure: `az account list-locations` (name and displayName), as recorded in github.com/tal66/cloud-regions
//   files/result_azure.txt at 93d997cda2a64498f7cad809c2c59e074c12ed28 (2025-01-15; canary and staging locations such as
//   eastus2euap and eastusstg left out). CHECKED: the 52 regions it lists. Opened since: austriaeast, belgiumcentral,
//   chilecentral, denmarkeast, indonesiacentral, malaysiawest, named on learn.microsoft.com/azure/reliability/regions-list
//   (only the first rows of the stored copy were readable) and in third-party lists generated from list-locations;
//   swedensouth (restricted) is named by Microsoft's Cosmos DB SDK (LocationNames.SwedenSouth). NOT ADDED: taiwannorth,
//   seen only in one third-party list.

/** AWS region → the letters of its availability zones. */
export const AWS_REGIONS: Record<string, string> = {
  "us-east-1": "abcdef", "us-east-2": "abc", "us-west-1": "abc", "us-west-2": "abcd",
  "af-south-1": "abc", "ap-east-1": "abc", "ap-east-2": "abc", "ap-south-1": "abc", "ap-south-2": "abc",
  "ap-northeast-1": "abcd", "ap-northeast-2": "abcd", "ap-northeast-3": "abc",
  "ap-southeast-1": "abc", "ap-southeast-2": "abc", "ap-southeast-3": "abc", "ap-southeast-4": "abc", "ap-southeast-5": "abc",
  "ap-southeast-6": "abc", "ap-southeast-7": "abc",
  "ca-central-1": "abcd", "ca-west-1": "abc",
  "eu-central-1": "abc", "eu-central-2": "abc", "eu-west-1": "abc", "eu-west-2": "abc", "eu-west-3": "abc",
  "eu-south-1": "abc", "eu-south-2": "abc", "eu-north-1": "abc",
  "il-central-1": "abc", "me-south-1": "abc", "me-central-1": "abc", "me-west-1": "", "mx-central-1": "abc",
  "sa-east-1": "abc", "sa-west-1": "",
  "cn-north-1": "abc", "cn-northwest-1": "abc", "us-gov-east-1": "abc", "us-gov-west-1": "abc",
  "eusc-de-east-1": "",
  "us-iso-east-1": "", "us-iso-west-1": "", "us-isob-east-1": "", "us-isob-west-1": "", "eu-isoe-west-1": "",
  "us-isof-east-1": "", "us-isof-south-1": "",
};

/** GCP region → the letters of its zones. */
export const GCP_REGIONS: Record<string, string> = {
  "africa-south1": "abc", "asia-east1": "abc", "asia-east2": "abc", "asia-northeast1": "abc", "asia-northeast2": "abc",
  "asia-northeast3": "abc", "asia-south1": "abc", "asia-south2": "abc", "asia-southeast1": "abc", "asia-southeast2": "abc",
  "asia-southeast3": "abc",
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

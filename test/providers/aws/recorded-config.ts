// The configuration the recordings in fixtures/recordings/aws-*.json were made with (record.ts).
export const RECORDED_CONFIG = `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  tags: {team: data}
`;

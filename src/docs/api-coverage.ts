/** Renders one API coverage doc per service from its SDK model and its table of implemented handlers. */
import { createRequire } from 'node:module';
import { coverageDocPath } from '../aws/operation-errors.ts';
import { cloudWatchModelOperations } from '../cloudwatch/cloudwatch-service.ts';
import { handlers as cloudWatchHandlers } from '../cloudwatch/handlers.ts';
import { modelOperationNames, readSdkModel } from '../aws/sdk-model.ts';
import { EC2_SDK_PACKAGE } from '../ec2/ec2-service.ts';
import { handlers as ec2Handlers } from '../ec2/handlers.ts';
import { ACM_SDK_PACKAGE } from '../acm/acm-service.ts';
import { handlers as acmHandlers } from '../acm/handlers.ts';
import { SECRETS_MANAGER_SDK_PACKAGE } from '../secretsmanager/secretsmanager-service.ts';
import { handlers as secretsManagerHandlers } from '../secretsmanager/handlers.ts';
import { SSM_SDK_PACKAGE } from '../ssm/ssm-service.ts';
import { APPLICATION_AUTOSCALING_SDK_PACKAGE } from '../application-autoscaling/application-autoscaling-service.ts';
import { handlers as applicationAutoScalingHandlers } from '../application-autoscaling/handlers.ts';
import { AUTOSCALING_SDK_PACKAGE } from '../autoscaling/autoscaling-service.ts';
import { handlers as autoScalingGroupsHandlers } from '../autoscaling/handlers.ts';
import { handlers as ssmHandlers } from '../ssm/handlers.ts';
import { ECR_SDK_PACKAGE } from '../ecr/ecr-service.ts';
import { handlers as ecrHandlers } from '../ecr/handlers.ts';
import { handlers as logsHandlers } from '../logs/handlers.ts';
import { LOGS_SDK_PACKAGE } from '../logs/logs-service.ts';
import { ELBV2_SDK_PACKAGE } from '../elbv2/elbv2-service.ts';
import { handlers as elbv2Handlers } from '../elbv2/handlers.ts';
import { ecsModelOperations } from '../ecs/ecs-service.ts';
import { handlers as ecsHandlers } from '../ecs/handlers.ts';
import { handlers as schedulerHandlers } from '../events/scheduler/handlers.ts';
import { EVENTS_SDK_PACKAGE } from '../events/bus/events-service.ts';
import { handlers as eventsHandlers } from '../events/bus/handlers.ts';
import { schedulerModelOperations } from '../events/scheduler/scheduler-service.ts';
import { efsModelOperations } from '../efs/efs-service.ts';
import { handlers as efsHandlers } from '../efs/handlers.ts';
import { handlers as stsHandlers } from '../sts/handlers.ts';
import { IAM_SDK_PACKAGE } from '../iam/iam-service.ts';
import { handlers as iamHandlers } from '../iam/handlers.ts';
import { stsModelOperations } from '../sts/sts-service.ts';
import { operations as s3Operations } from '../s3/operations.ts';

/** What a coverage doc is made of. */
interface CoverageSource {
  /** The service's name in the gateway (AwsService.name). */
  name: string;
  /** Heading: `ECS` gives "# ECS API coverage". */
  heading: string;
  /** In the text: "Every operation in the <api> API model". */
  api: string;
  sdkPackage: string;
  /** The handlers table the doc is generated from, for the header comment. */
  table: string;
  modelOperations: () => readonly string[];
  implemented: object;
  /** Operations served outside the handlers table (a raw route: StartLiveTail's event stream). */
  routes?: readonly string[];
}

const SOURCES: readonly CoverageSource[] = [
  {
    name: 'ecs',
    heading: 'ECS',
    api: 'Amazon ECS',
    sdkPackage: '@aws-sdk/client-ecs',
    table: 'src/ecs/handlers.ts',
    modelOperations: ecsModelOperations,
    implemented: ecsHandlers,
  },
  {
    name: 'sts',
    heading: 'STS',
    api: 'AWS STS',
    sdkPackage: '@aws-sdk/client-sts',
    table: 'src/sts/handlers.ts',
    modelOperations: stsModelOperations,
    implemented: stsHandlers,
  },
  {
    name: 'iam',
    heading: 'IAM',
    api: 'AWS IAM',
    sdkPackage: IAM_SDK_PACKAGE,
    table: 'src/iam/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () => modelOperationNames(readSdkModel(createRequire(import.meta.url)(IAM_SDK_PACKAGE))),
    implemented: iamHandlers,
  },
  {
    name: 'scheduler',
    heading: 'EventBridge Scheduler',
    api: 'Amazon EventBridge Scheduler',
    sdkPackage: '@aws-sdk/client-scheduler',
    table: 'src/events/scheduler/handlers.ts',
    modelOperations: schedulerModelOperations,
    implemented: schedulerHandlers,
  },
  {
    name: 'efs',
    heading: 'EFS',
    api: 'Amazon Elastic File System',
    sdkPackage: '@aws-sdk/client-efs',
    table: 'src/efs/handlers.ts',
    modelOperations: efsModelOperations,
    implemented: efsHandlers,
  },
  {
    name: 'events',
    heading: 'EventBridge',
    api: 'Amazon EventBridge',
    sdkPackage: EVENTS_SDK_PACKAGE,
    table: 'src/events/bus/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(EVENTS_SDK_PACKAGE))),
    implemented: eventsHandlers,
  },
  {
    name: 'cloudwatch',
    heading: 'CloudWatch',
    api: 'Amazon CloudWatch',
    sdkPackage: '@aws-sdk/client-cloudwatch',
    table: 'src/cloudwatch/handlers.ts',
    modelOperations: cloudWatchModelOperations,
    implemented: cloudWatchHandlers,
  },
  {
    name: 'ec2',
    heading: 'EC2',
    api: 'Amazon EC2',
    sdkPackage: EC2_SDK_PACKAGE,
    table: 'src/ec2/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () => modelOperationNames(readSdkModel(createRequire(import.meta.url)(EC2_SDK_PACKAGE))),
    implemented: ec2Handlers,
  },
  {
    name: 'ecr',
    heading: 'ECR',
    api: 'Amazon ECR',
    sdkPackage: ECR_SDK_PACKAGE,
    table: 'src/ecr/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () => modelOperationNames(readSdkModel(createRequire(import.meta.url)(ECR_SDK_PACKAGE))),
    implemented: ecrHandlers,
  },
  {
    name: 'elbv2',
    heading: 'ELBv2',
    api: 'Elastic Load Balancing v2',
    sdkPackage: ELBV2_SDK_PACKAGE,
    table: 'src/elbv2/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(ELBV2_SDK_PACKAGE))),
    implemented: elbv2Handlers,
  },
  {
    name: 'acm',
    heading: 'ACM',
    api: 'AWS Certificate Manager',
    sdkPackage: ACM_SDK_PACKAGE,
    table: 'src/acm/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () => modelOperationNames(readSdkModel(createRequire(import.meta.url)(ACM_SDK_PACKAGE))),
    implemented: acmHandlers,
  },
  {
    name: 'secretsmanager',
    heading: 'Secrets Manager',
    api: 'AWS Secrets Manager',
    sdkPackage: SECRETS_MANAGER_SDK_PACKAGE,
    table: 'src/secretsmanager/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(SECRETS_MANAGER_SDK_PACKAGE))),
    implemented: secretsManagerHandlers,
  },
  {
    name: 'ssm',
    heading: 'SSM',
    api: 'AWS Systems Manager',
    sdkPackage: SSM_SDK_PACKAGE,
    table: 'src/ssm/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () => modelOperationNames(readSdkModel(createRequire(import.meta.url)(SSM_SDK_PACKAGE))),
    implemented: ssmHandlers,
  },
  {
    name: 'logs',
    heading: 'CloudWatch Logs',
    api: 'Amazon CloudWatch Logs',
    sdkPackage: LOGS_SDK_PACKAGE,
    table: 'src/logs/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(LOGS_SDK_PACKAGE))),
    implemented: logsHandlers,
    routes: ['StartLiveTail'],
  },
  {
    name: 'application-autoscaling',
    heading: 'Application Auto Scaling',
    api: 'Application Auto Scaling',
    sdkPackage: APPLICATION_AUTOSCALING_SDK_PACKAGE,
    table: 'src/application-autoscaling/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(APPLICATION_AUTOSCALING_SDK_PACKAGE))),
    implemented: applicationAutoScalingHandlers,
  },
  {
    name: 'autoscaling',
    heading: 'EC2 Auto Scaling',
    api: 'EC2 Auto Scaling',
    sdkPackage: AUTOSCALING_SDK_PACKAGE,
    table: 'src/autoscaling/handlers.ts',
    // The service reads a cached extract of the model; this build-time script reads the SDK itself.
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)(AUTOSCALING_SDK_PACKAGE))),
    implemented: autoScalingGroupsHandlers,
  },
  {
    name: 's3',
    heading: 'S3',
    api: 'Amazon S3',
    sdkPackage: '@aws-sdk/client-s3',
    table: 'src/s3/operations.ts',
    modelOperations: () =>
      modelOperationNames(readSdkModel(createRequire(import.meta.url)('@aws-sdk/client-s3'))),
    implemented: s3Operations,
  },
];

/** Every coverage doc: its path under the repository root and its text. */
export function renderCoverageDocs(): { path: string; text: string }[] {
  return SOURCES.map((source) => ({ path: coverageDocPath(source.name), text: render(source) }));
}

function render(source: CoverageSource): string {
  const require = createRequire(import.meta.url);
  const sdkVersion = (require(`${source.sdkPackage}/package.json`) as { version: string }).version;
  const operations = source.modelOperations();
  const isImplemented = (op: string) =>
    Object.hasOwn(source.implemented, op) || !!source.routes?.includes(op);
  const implemented = operations.filter(isImplemented);
  const lines = [
    `# ${source.heading} API coverage`,
    '',
    `<!-- Generated by \`npm run docs:api-coverage\` from ${source.table}; a test fails when it is stale. -->`,
    '',
    `Every operation in the ${source.api} API model (as shipped in \`${source.sdkPackage}\` ${sdkVersion}),`,
    `and whether Longshore implements it: ${implemented.length} of ${operations.length}.`,
    '',
    'An operation that is not implemented answers `UnsupportedFeatureException` naming the operation,',
    'so a client fails loudly instead of getting an empty success.',
    '',
    '| operation | status |',
    '|---|---|',
  ];
  for (const op of operations) {
    lines.push(`| ${op} | ${isImplemented(op) ? 'implemented' : 'not implemented'} |`);
  }
  return `${lines.join('\n')}\n`;
}

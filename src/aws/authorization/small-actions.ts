/**
 * The services with few resource-level permissions: CloudWatch (alarms by name, metrics on `*`),
 * ACM (certificates by ARN), STS (GetCallerIdentity needs no permission; AssumeRole is on the
 * role) and Longshore's own API (`longshore:<Operation>` on `*`).
 */
import { arnIn, type ResourceRule, type ServiceActions, str, strings } from './types.ts';

const alarms: ResourceRule = (input, scope) => {
  const names = strings(input.AlarmNames);
  return names.length > 0 ? names.map((n) => arnIn(scope, 'cloudwatch', `alarm:${n}`)) : ['*'];
};

export const cloudWatchActions: ServiceActions = {
  prefix: 'cloudwatch',
  operations: {
    DeleteAlarms: alarms,
    PutMetricAlarm: (input, scope) => [
      str(input.AlarmName) ? arnIn(scope, 'cloudwatch', `alarm:${input.AlarmName}`) : '*',
    ],
    PutCompositeAlarm: (input, scope) => [
      str(input.AlarmName) ? arnIn(scope, 'cloudwatch', `alarm:${input.AlarmName}`) : '*',
    ],
    SetAlarmState: (input, scope) => [
      str(input.AlarmName) ? arnIn(scope, 'cloudwatch', `alarm:${input.AlarmName}`) : '*',
    ],
    DescribeAlarmHistory: (input, scope) => [
      str(input.AlarmName) ? arnIn(scope, 'cloudwatch', `alarm:${input.AlarmName}`) : '*',
    ],
    EnableAlarmActions: alarms,
    DisableAlarmActions: alarms,
    PutMetricData: (input) => {
      const namespace = str(input.Namespace);
      return [namespace ? { arn: '*', context: { 'cloudwatch:namespace': namespace } } : '*'];
    },
    TagResource: (input) => [str(input.ResourceARN) ?? '*'],
    UntagResource: (input) => [str(input.ResourceARN) ?? '*'],
    ListTagsForResource: (input) => [str(input.ResourceARN) ?? '*'],
  },
};

const certificate: ResourceRule = (input) => [str(input.CertificateArn) ?? '*'];

export const acmActions: ServiceActions = {
  prefix: 'acm',
  operations: {
    ImportCertificate: certificate,
    DescribeCertificate: certificate,
    GetCertificate: certificate,
    DeleteCertificate: certificate,
    AddTagsToCertificate: certificate,
    RemoveTagsFromCertificate: certificate,
    ListTagsForCertificate: certificate,
  },
};

export const stsActions: ServiceActions = {
  prefix: 'sts',
  operations: {
    AssumeRole: (input) => [str(input.RoleArn) ?? '*'],
    TagSession: (input) => [str(input.RoleArn) ?? '*'],
  },
  // "No permissions are required to perform this operation" (GetCallerIdentity's reference).
  unauthorized: ['GetCallerIdentity'],
};

export const longshoreActions: ServiceActions = { prefix: 'longshore', operations: {} };

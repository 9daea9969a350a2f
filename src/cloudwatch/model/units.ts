/**
 * CloudWatch's StandardUnit enum (the model's values). Kept here rather than read from the SDK
 * client: importing a value from @aws-sdk/client-cloudwatch loads the whole client (~5 MiB) into a
 * control plane that may never serve CloudWatch. test/cloudwatch/units.test.ts holds it to the SDK.
 */
export const UNITS: ReadonlySet<string> = new Set([
  'Bits',
  'Bits/Second',
  'Bytes',
  'Bytes/Second',
  'Count',
  'Count/Second',
  'Gigabits',
  'Gigabits/Second',
  'Gigabytes',
  'Gigabytes/Second',
  'Kilobits',
  'Kilobits/Second',
  'Kilobytes',
  'Kilobytes/Second',
  'Megabits',
  'Megabits/Second',
  'Megabytes',
  'Megabytes/Second',
  'Microseconds',
  'Milliseconds',
  'None',
  'Percent',
  'Seconds',
  'Terabits',
  'Terabits/Second',
  'Terabytes',
  'Terabytes/Second',
]);

/**
 * EFS's errors: every error shape carries `ErrorCode` (the shape's name) and `Message` in its body;
 * the HTTP status comes from the model (404 for the NotFound ones, 409 for conflicts).
 */
import { ServiceError } from '../../core/errors.ts';

export const EfsErrorCode = {
  BadRequest: 'BadRequest',
  FileSystemNotFound: 'FileSystemNotFound',
  FileSystemAlreadyExists: 'FileSystemAlreadyExists',
  FileSystemInUse: 'FileSystemInUse',
  IncorrectFileSystemLifeCycleState: 'IncorrectFileSystemLifeCycleState',
  MountTargetNotFound: 'MountTargetNotFound',
  MountTargetConflict: 'MountTargetConflict',
  SubnetNotFound: 'SubnetNotFound',
  SecurityGroupNotFound: 'SecurityGroupNotFound',
  IpAddressInUse: 'IpAddressInUse',
  NoFreeAddressesInSubnet: 'NoFreeAddressesInSubnet',
  AccessPointNotFound: 'AccessPointNotFound',
  AccessPointAlreadyExists: 'AccessPointAlreadyExists',
  PolicyNotFound: 'PolicyNotFound',
  InvalidPolicyException: 'InvalidPolicyException',
  UnsupportedAvailabilityZone: 'UnsupportedAvailabilityZone',
  AvailabilityZonesMismatch: 'AvailabilityZonesMismatch',
  AccessPointLimitExceeded: 'AccessPointLimitExceeded',
} as const;
export type EfsErrorCode = (typeof EfsErrorCode)[keyof typeof EfsErrorCode];

export function efsError(
  code: EfsErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): ServiceError {
  return new ServiceError(code, message, { ErrorCode: code, Message: message, ...extra });
}

export const badRequest = (message: string) => efsError(EfsErrorCode.BadRequest, message);

export const fileSystemNotFound = (id: string) =>
  efsError(EfsErrorCode.FileSystemNotFound, `File system '${id}' does not exist.`);

export const accessPointNotFound = (id: string) =>
  efsError(EfsErrorCode.AccessPointNotFound, `Access point '${id}' does not exist.`);

export const mountTargetNotFound = (id: string) =>
  efsError(EfsErrorCode.MountTargetNotFound, `Mount target '${id}' does not exist.`);

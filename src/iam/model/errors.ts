/** IAM's error types (the model's shape names; the gateway writes their Query codes and statuses). */
import { ServiceError } from '../../core/errors.ts';

export const IamErrorCode = {
  NoSuchEntity: 'NoSuchEntityException',
  EntityAlreadyExists: 'EntityAlreadyExistsException',
  MalformedPolicyDocument: 'MalformedPolicyDocumentException',
  LimitExceeded: 'LimitExceededException',
  DeleteConflict: 'DeleteConflictException',
  InvalidInput: 'InvalidInputException',
  UnmodifiableEntity: 'UnmodifiableEntityException',
  /** The Query services' common validation error (not a shape of IAM's model). */
  Validation: 'ValidationError',
} as const;
export type IamErrorCode = (typeof IamErrorCode)[keyof typeof IamErrorCode];

export const iamError = (code: IamErrorCode, message: string): ServiceError =>
  new ServiceError(code, message);

export const noSuchEntity = (message: string): ServiceError => iamError(IamErrorCode.NoSuchEntity, message);

export const malformedPolicy = (message: string): ServiceError =>
  iamError(IamErrorCode.MalformedPolicyDocument, message);

/**
 * The access-denied error each service answers: `AccessDeniedException` in the AWS JSON, REST-JSON
 * and CBOR services (ECS, ECR, Logs, Secrets Manager ...; the status the service's model gives the
 * shape, ECS's 403, else 400 over JSON and 403 over REST), `AccessDenied`
 * (403) in the Query services (IAM, STS, ELBv2, CloudWatch's Query form), and EC2's
 * `UnauthorizedOperation` (403) with its "You are not authorized to perform this operation."
 */
import { AwsErrorCode, ProtocolError } from './errors.ts';
import { ProtocolName } from './protocols/protocol.ts';
import type { AwsService } from './service.ts';

export function accessDenied(service: AwsService, protocol: ProtocolName, message: string): ProtocolError {
  if (protocol === ProtocolName.Ec2Query)
    return new ProtocolError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. ${message}`,
      403,
    );
  if (protocol === ProtocolName.AwsQuery || service.awsQueryCompatible)
    return new ProtocolError('AccessDenied', message, 403);
  if (protocol === ProtocolName.RestJson1) return new ProtocolError(AwsErrorCode.AccessDenied, message, 403);
  return new ProtocolError(AwsErrorCode.AccessDenied, message, 400);
}

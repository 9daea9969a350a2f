/**
 * ELBv2's error codes (the model's error shape names; the gateway answers each with its awsQuery
 * code: LoadBalancerNotFoundException is `<Code>LoadBalancerNotFound</Code>`) and the common
 * Query errors ELBv2 answers (`ValidationError`), with messages worded as ELBv2 words them.
 */
import { ServiceError } from '../../core/errors.ts';

export const Elbv2ErrorCode = {
  ALPNPolicyNotFound: 'ALPNPolicyNotSupportedException',
  CertificateNotFound: 'CertificateNotFoundException',
  DuplicateListener: 'DuplicateListenerException',
  DuplicateLoadBalancerName: 'DuplicateLoadBalancerNameException',
  DuplicateTagKeys: 'DuplicateTagKeysException',
  DuplicateTargetGroupName: 'DuplicateTargetGroupNameException',
  IncompatibleProtocols: 'IncompatibleProtocolsException',
  InvalidConfigurationRequest: 'InvalidConfigurationRequestException',
  InvalidLoadBalancerAction: 'InvalidLoadBalancerActionException',
  InvalidScheme: 'InvalidSchemeException',
  InvalidSecurityGroup: 'InvalidSecurityGroupException',
  InvalidSubnet: 'InvalidSubnetException',
  InvalidTarget: 'InvalidTargetException',
  ListenerNotFound: 'ListenerNotFoundException',
  LoadBalancerNotFound: 'LoadBalancerNotFoundException',
  OperationNotPermitted: 'OperationNotPermittedException',
  PriorityInUse: 'PriorityInUseException',
  ResourceInUse: 'ResourceInUseException',
  RuleNotFound: 'RuleNotFoundException',
  SSLPolicyNotFound: 'SSLPolicyNotFoundException',
  SubnetNotFound: 'SubnetNotFoundException',
  TargetGroupAssociationLimit: 'TargetGroupAssociationLimitException',
  TargetGroupNotFound: 'TargetGroupNotFoundException',
  TooManyActions: 'TooManyActionsException',
  TooManyCertificates: 'TooManyCertificatesException',
  TooManyListeners: 'TooManyListenersException',
  TooManyLoadBalancers: 'TooManyLoadBalancersException',
  TooManyRegistrationsForTargetId: 'TooManyRegistrationsForTargetIdException',
  TooManyRules: 'TooManyRulesException',
  TooManyTags: 'TooManyTagsException',
  TooManyTargetGroups: 'TooManyTargetGroupsException',
  TooManyTargets: 'TooManyTargetsException',
  TooManyUniqueTargetGroupsPerLoadBalancer: 'TooManyUniqueTargetGroupsPerLoadBalancerException',
  UnsupportedProtocol: 'UnsupportedProtocolException',
  /** The Query services' common error for a bad parameter (no shape in the model; HTTP 400). */
  ValidationError: 'ValidationError',
} as const;
export type Elbv2ErrorCode = (typeof Elbv2ErrorCode)[keyof typeof Elbv2ErrorCode];

const error = (code: Elbv2ErrorCode, message: string) => new ServiceError(code, message);

export const validation = (message: string) => error(Elbv2ErrorCode.ValidationError, message);
export const invalidConfiguration = (message: string) =>
  error(Elbv2ErrorCode.InvalidConfigurationRequest, message);

export const loadBalancersNotFound = (names: readonly string[]) =>
  error(Elbv2ErrorCode.LoadBalancerNotFound, `Load balancers '[${names.join(', ')}]' not found`);
/** A target group a call names by ARN (CreateListener's forward, RegisterTargets ...). */
export const targetGroupNotFound = (arn: string) =>
  error(Elbv2ErrorCode.TargetGroupNotFound, `Target groups '${arn}' not found`);
/** DescribeTargetGroups naming groups that do not all exist. */
export const targetGroupsNotFound = () =>
  error(Elbv2ErrorCode.TargetGroupNotFound, 'One or more target groups not found');
export const listenersNotFound = () =>
  error(Elbv2ErrorCode.ListenerNotFound, 'One or more listeners not found');
export const rulesNotFound = () => error(Elbv2ErrorCode.RuleNotFound, 'One or more rules not found');
export const certificateNotFound = (arn: string) =>
  error(Elbv2ErrorCode.CertificateNotFound, `Certificate '${arn}' not found`);

/** A parameter whose value is out of its range or set: "'x' is not a valid value for Port" style. */
export const invalidArn = (arn: string, what: string) => validation(`'${arn}' is not a valid ${what} ARN`);

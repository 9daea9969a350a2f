/** The gateway's own errors (missing parameter, unknown action, throttling) as EC2 words them. */
import type { GatewayErrors } from '../aws/service.ts';

/**
 * The gateway's own errors in EC2's words (its "Common client errors"), as EC2 answers them:
 * `MissingParameter` "The request must contain the parameter ImageId" (the parameter as the
 * request names it: `PublicKeyMaterial`, `SpotInstanceRequestId` for CancelSpotInstanceRequests'
 * SpotInstanceRequestIds), `InvalidAction` "The action DescribeLoadBalancers is not valid for
 * this web service." (400), and `RequestLimitExceeded` "Request limit exceeded." (503).
 */
export const ec2GatewayErrors: GatewayErrors = {
  missingParameter: {
    type: 'MissingParameter',
    message: (parameter) => `The request must contain the parameter ${parameter}`,
  },
  unknownOperation: {
    type: 'InvalidAction',
    message: (action) => `The action ${action} is not valid for this web service.`,
  },
  throttling: { type: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503 },
};

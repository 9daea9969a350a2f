/**
 * Who a request is from and which policies speak for it: the contract between IAM's records
 * (users, roles, access keys and sessions; `src/iam/`), the gateway that authenticates a request,
 * and the policy evaluator that authorizes it (`src/iam/policy/`).
 */

/** A policy document as IAM stores it, parsed (Version, Id, Statement ...). */
export type PolicyDocument = Record<string, unknown>;

/** A policy and where it came from (for "why was this denied" answers). */
export interface NamedPolicy {
  /** A managed policy's ARN, or `inline:<user|group|role>/<name>/<policy name>`, or `session`. */
  source: string;
  document: PolicyDocument;
}

/**
 * The caller behind an access key. `sessionKeyId` is set when the caller signs with temporary
 * credentials (ASIA...): `policySetFor` reads that session's policies and tags by it.
 */
export type Principal =
  /** The installation's own key (and any temporary credentials it made): allowed everything, as root is. */
  | { type: 'root'; accountId: string; arn: string; userId: string; sessionKeyId?: string }
  | {
      type: 'user';
      accountId: string;
      arn: string;
      userId: string;
      userName: string;
      path: string;
      sessionKeyId?: string;
    }
  | {
      type: 'assumed-role';
      sessionKeyId?: string;
      accountId: string;
      /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
      arn: string;
      /** `ROLEID:SESSION` */
      userId: string;
      roleArn: string;
      roleName: string;
      sessionName: string;
    };

/** Every policy that decides a principal's request, except the resource's own policy. */
export interface PolicySet {
  /** Identity-based: attached managed policies and inline ones (a user's groups' too). */
  identity: NamedPolicy[];
  /** The permissions boundary, when the user or role has one. */
  boundary?: NamedPolicy;
  /** Session policies passed to AssumeRole / GetFederationToken, when any. */
  session?: NamedPolicy[];
  /** Principal tags (aws:PrincipalTag/...) and session tags. */
  tags?: Record<string, string>;
}

/** A credential as the gateway verifies it, with the principal it stands for. */
export interface ResolvedCredential {
  secretAccessKey: string;
  /** Present for temporary credentials (AssumeRole, GetSessionToken). */
  sessionToken?: string;
  /** Epoch ms after which the session is expired. */
  expiresAt?: number;
  principal: Principal;
  /** An agent key from a cluster-restricted join token: the only cluster the agent channel accepts it for. */
  cluster?: string;
}

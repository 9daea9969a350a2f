/**
 * IAM's policy simulator: SimulatePrincipalPolicy (a user's or role's own policies, plus any
 * given) and SimulateCustomPolicy (only the given policies), each action on each resource
 * evaluated as the gateway evaluates requests (iam/policy/), with the statements that decided.
 */
import type {
  ContextEntry,
  EvaluationResult,
  SimulateCustomPolicyRequest,
  SimulatePolicyResponse,
  SimulatePrincipalPolicyRequest,
  Statement,
} from '@aws-sdk/client-iam';
import type { Wire } from '../../core/wire.ts';
import { IamErrorCode, iamError, noSuchEntity } from '../model/errors.ts';
import { policySetFor } from '../model/policy-set.ts';
import type { NamedPolicy, PolicySet, Principal } from '../model/principal.ts';
import { addGlobalKeys, type ContextValue } from '../policy/context.ts';
import { type CompiledPolicy, compilePolicy, parseDocument } from '../policy/document.ts';
import { type Decision, evaluate } from '../policy/evaluate.ts';
import { policyDocumentError } from '../policy/validate.ts';
import { type IamContext, nameKey, type RoleRecord, type UserRecord } from '../model/records.ts';
import { Kind } from '../../store/store.ts';

/** What both operations share. */
type Input = Pick<
  Wire<SimulateCustomPolicyRequest>,
  'ActionNames' | 'ResourceArns' | 'ResourcePolicy' | 'ResourceOwner' | 'ContextEntries'
>;

export async function simulatePrincipalPolicy(
  ctx: IamContext,
  input: Wire<SimulatePrincipalPolicyRequest>,
): Promise<Wire<SimulatePolicyResponse>> {
  const principal = await principalOf(ctx, input.PolicySourceArn);
  const own = await policySetFor(ctx.store, principal);
  const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList');
  const boundaries = inputPolicies(
    input.PermissionsBoundaryPolicyInputList,
    'PermissionsBoundaryPolicyInputList',
  );
  const set: PolicySet = {
    ...own,
    identity: [...own.identity, ...extra],
    ...(boundaries[0] ? { boundary: boundaries[0] } : {}),
  };
  return simulate(ctx, principal, set, input);
}

export async function simulateCustomPolicy(
  ctx: IamContext,
  input: Wire<SimulateCustomPolicyRequest>,
): Promise<Wire<SimulatePolicyResponse>> {
  const identity = inputPolicies(input.PolicyInputList, 'PolicyInputList');
  const boundaries = inputPolicies(
    input.PermissionsBoundaryPolicyInputList,
    'PermissionsBoundaryPolicyInputList',
  );
  const caller = input.CallerArn ? await principalOf(ctx, input.CallerArn) : simulatedUser(ctx.accountId);
  return simulate(ctx, caller, { identity, ...(boundaries[0] ? { boundary: boundaries[0] } : {}) }, input);
}

/** A user or role named by ARN, as a principal; NoSuchEntity when there is none. */
async function principalOf(ctx: IamContext, arn: string | undefined): Promise<Principal> {
  const m = /^arn:[\w-]+:iam::(\d{12}):(user|role)\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn ?? '');
  if (!m)
    throw iamError(
      IamErrorCode.InvalidInput,
      `Invalid ARN: ${arn ?? ''}. Only users and roles can be simulated.`,
    );
  const [, account, type, name] = m as unknown as [string, string, string, string];
  if (type === 'user') {
    const user = (await ctx.store.get<UserRecord>(Kind.IamUser, nameKey(name)))?.value;
    if (!user || account !== ctx.accountId) throw noSuchEntity(`The user with name ${name} cannot be found.`);
    return {
      type: 'user',
      accountId: account,
      arn: user.arn,
      userId: user.userId,
      userName: user.userName,
      path: user.path,
    };
  }
  const role = (await ctx.store.get<RoleRecord>(Kind.IamRole, nameKey(name)))?.value;
  if (!role || account !== ctx.accountId) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return {
    type: 'assumed-role',
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role.roleName}/simulation`,
    userId: `${role.roleId}:simulation`,
    roleArn: role.arn,
    roleName: role.roleName,
    sessionName: 'simulation',
  };
}

const simulatedUser = (accountId: string): Principal => ({
  type: 'user',
  accountId,
  arn: `arn:aws:iam::${accountId}:user/simulated`,
  userId: 'AIDASIMULATEDUSER',
  userName: 'simulated',
  path: '/',
});

function inputPolicies(texts: string[] | undefined, member: string): NamedPolicy[] {
  return (texts ?? []).map((text, i) => {
    const error = policyDocumentError(text, 'identity');
    if (error) throw iamError(IamErrorCode.MalformedPolicyDocument, error);
    return { source: `${member}.${i + 1}`, document: parseDocument(text) };
  });
}

/** ContextEntries as condition keys: list types keep every value, the rest their first. */
function contextEntries(entries: Wire<ContextEntry>[] | undefined): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const values = e.ContextKeyValues ?? [];
    const list = typeof e.ContextKeyType === 'string' && e.ContextKeyType.endsWith('List');
    out.set(e.ContextKeyName.toLowerCase(), list ? values : (values[0] ?? ''));
  }
  return out;
}

function simulate(
  ctx: IamContext,
  principal: Principal,
  set: PolicySet,
  input: Input,
): Wire<SimulatePolicyResponse> {
  const actions = input.ActionNames ?? [];
  if (actions.length === 0)
    throw iamError(IamErrorCode.InvalidInput, 'ActionNames must contain at least one action.');
  const resources = input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : ['*'];
  const compiled = {
    identity: set.identity.map((p) => compilePolicy(p, 'identity')),
    ...(set.boundary ? { boundary: compilePolicy(set.boundary, 'boundary') } : {}),
    ...(set.session ? { session: set.session.map((p) => compilePolicy(p, 'session')) } : {}),
  };
  let resourcePolicy: CompiledPolicy | undefined;
  if (input.ResourcePolicy) {
    const error = policyDocumentError(input.ResourcePolicy, 'resource');
    if (error) throw iamError(IamErrorCode.MalformedPolicyDocument, error);
    resourcePolicy = compilePolicy(
      { source: 'ResourcePolicy', document: parseDocument(input.ResourcePolicy) },
      'resource',
    );
  }
  const given = contextEntries(input.ContextEntries);
  const results: Wire<EvaluationResult>[] = [];
  for (const action of actions) {
    for (const resource of resources) {
      const context = addGlobalKeys(new Map(), {
        principal,
        principalTags: set.tags,
        now: ctx.clock.now(),
        region: 'us-east-1',
      });
      for (const [k, v] of given) context.set(k, v);
      const decision = evaluate({
        request: { principal, action, resource, context },
        policies: compiled,
        ...(resourcePolicy ? { resourcePolicy } : {}),
        ...(input.ResourceOwner
          ? { resourceAccount: input.ResourceOwner.split(':')[4] ?? input.ResourceOwner }
          : {}),
      });
      results.push(
        result(action, resource, decision, set.boundary !== undefined, compiled.boundary, context, principal),
      );
    }
  }
  return { EvaluationResults: results, IsTruncated: false };
}

function result(
  action: string,
  resource: string,
  decision: Decision,
  hasBoundary: boolean,
  boundary: CompiledPolicy | undefined,
  context: Map<string, ContextValue>,
  principal: Principal,
): Wire<EvaluationResult> {
  const out: Wire<EvaluationResult> = {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision.type,
    MatchedStatements: decision.statements.map(
      (s): Wire<Statement> => ({
        SourcePolicyId: s.source,
        SourcePolicyType: sourceType(s.source, s.policyType),
      }),
    ),
    MissingContextValues: [],
  };
  if (hasBoundary && boundary) {
    const inBoundary = evaluate({
      request: { principal, action, resource, context },
      policies: { identity: boundary.statements.length > 0 ? [{ ...boundary, policyType: 'identity' }] : [] },
    });
    out.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: inBoundary.type === 'allowed' };
  }
  return out;
}

function sourceType(source: string, type: string): Wire<Statement>['SourcePolicyType'] {
  if (type === 'resource') return 'resource';
  // Policies given in the request (PolicyInputList.1 ...) are of no stored kind.
  if (source.includes('PolicyInputList')) return 'none';
  if (source.startsWith('arn:aws:iam::aws:policy/')) return 'aws-managed';
  if (source.startsWith('arn:')) return 'user-managed';
  if (source.startsWith('inline:user/')) return 'user';
  if (source.startsWith('inline:group/')) return 'group';
  if (source.startsWith('inline:role/')) return 'role';
  return 'none';
}

/** ELBv2 listeners and rules through the SDK: protocols, ports, certificates, actions, conditions, priorities, association limits. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddListenerCertificatesCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteRuleCommand,
  DescribeListenerAttributesCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ModifyListenerAttributesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RemoveListenerCertificatesCommand,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from '../support/control-plane.ts';
import { type Elbv2Plane, startElbv2Plane } from './elbv2-plane.ts';

describe('ELBv2 listeners and rules', () => {
  let p: Elbv2Plane;
  let alb: string;
  let alb2: string;
  let nlb: string;
  let web: string;
  let api: string;
  let tcp: string;
  let listener: string;
  const fixed404 = [{ Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: '404' } }];
  before(async () => {
    p = await startElbv2Plane();
    const subnets = [p.subnets['us-east-1a'], p.subnets['us-east-1b']];
    const lb = async (Name: string, Type?: 'network') =>
      (await p.elb.send(new CreateLoadBalancerCommand({ Name, Subnets: subnets, Type }))).LoadBalancers![0]
        .LoadBalancerArn!;
    alb = await lb('alb');
    alb2 = await lb('alb2');
    nlb = await lb('nlb', 'network');
    const tg = async (Name: string, Protocol: 'HTTP' | 'TCP') =>
      (await p.elb.send(new CreateTargetGroupCommand({ Name, Protocol, Port: 80, VpcId: p.vpcId })))
        .TargetGroups![0].TargetGroupArn!;
    web = await tg('web', 'HTTP');
    api = await tg('api', 'HTTP');
    tcp = await tg('tcp', 'TCP');
  });
  after(() => p.stop());

  it('creates an HTTP listener forwarding to a group, with its default rule', async () => {
    const { Listeners } = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: web }],
      }),
    );
    const l = Listeners![0];
    listener = l.ListenerArn!;
    assert.match(
      listener,
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener\/app\/alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    assert.ok(listener.startsWith(alb.replace(':loadbalancer/', ':listener/')));
    assert.deepEqual(l.DefaultActions, [
      {
        Type: 'forward',
        TargetGroupArn: web,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: web, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ]);
    const { Rules } = await p.elb.send(new DescribeRulesCommand({ ListenerArn: listener }));
    assert.equal(Rules!.length, 1);
    assert.equal(Rules![0].IsDefault, true);
    assert.equal(Rules![0].Priority, 'default');
    assert.deepEqual(Rules![0].Conditions, []);
    assert.match(Rules![0].RuleArn!, /:listener-rule\/app\/alb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
  });

  it('refuses a second listener on a port, a protocol of the other type, and incompatible groups', async () => {
    const dup = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.equal(dup.name, 'DuplicateListenerException');
    const tcpOnAlb = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'TCP',
          Port: 81,
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.deepEqual(
      [tcpOnAlb.name, tcpOnAlb.message],
      ['ValidationError', "Listener protocol 'TCP' must be one of 'HTTPS, HTTP'"],
    );
    const tcpGroup = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTP',
          Port: 81,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tcp }],
        }),
      ),
    );
    assert.equal(tcpGroup.name, 'IncompatibleProtocolsException');
    const redirectOnNlb = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: nlb,
          Protocol: 'TCP',
          Port: 80,
          DefaultActions: [
            { Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301', Protocol: 'HTTPS' } },
          ],
        }),
      ),
    );
    assert.equal(redirectOnNlb.name, 'InvalidLoadBalancerActionException');
    const missingGroup = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTP',
          Port: 81,
          DefaultActions: [
            { Type: 'forward', TargetGroupArn: web.replace(/[0-9a-f]{16}$/, '0123456789abcdef') },
          ],
        }),
      ),
    );
    assert.equal(missingGroup.name, 'TargetGroupNotFoundException');
    const nlbListener = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: nlb,
        Protocol: 'TCP',
        Port: 6379,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tcp }],
      }),
    );
    assert.equal(nlbListener.Listeners![0].Protocol, 'TCP');
  });

  it('keeps a target group to one load balancer (TargetGroupAssociationLimit)', async () => {
    const e = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb2,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: web }],
        }),
      ),
    );
    assert.deepEqual(
      [e.name, e.message],
      [
        'TargetGroupAssociationLimitException',
        `The following target groups cannot be associated with more than one load balancer: ${web}`,
      ],
    );
  });

  it('applies the association limit to rules and to modified listeners too', async () => {
    const other = (
      await p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb2,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: fixed404,
        }),
      )
    ).Listeners![0].ListenerArn!;
    const byRule = await awsError(() =>
      p.elb.send(
        new CreateRuleCommand({
          ListenerArn: other,
          Priority: 1,
          Conditions: [{ Field: 'path-pattern', Values: ['/'] }],
          Actions: [{ Type: 'forward', TargetGroupArn: web }],
        }),
      ),
    );
    assert.equal(byRule.name, 'TargetGroupAssociationLimitException');
    const byModify = await awsError(() =>
      p.elb.send(
        new ModifyListenerCommand({
          ListenerArn: other,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: web }],
        }),
      ),
    );
    assert.equal(byModify.name, 'TargetGroupAssociationLimitException');
    // A group of the same load balancer may be used by several of its listeners and rules.
    const again = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb,
        Protocol: 'HTTP',
        Port: 8081,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: web }],
      }),
    );
    await p.elb.send(new DeleteListenerCommand({ ListenerArn: again.Listeners![0].ListenerArn }));
  });

  it('needs a certificate Longshore holds for HTTPS', async () => {
    const none = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTPS',
          Port: 443,
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.equal(none.name, 'ValidationError');
    const unknown = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTPS',
          Port: 443,
          Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/nope' }],
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.equal(unknown.name, 'CertificateNotFoundException');
    const cert = await p.certificate();
    const badPolicy = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb,
          Protocol: 'HTTPS',
          Port: 443,
          SslPolicy: 'nope',
          Certificates: [{ CertificateArn: cert }],
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.equal(badPolicy.name, 'SSLPolicyNotFoundException');
    const { Listeners } = await p.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: cert }],
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_302', Host: 'example.com' } },
        ],
      }),
    );
    assert.deepEqual(Listeners![0].Certificates, [{ CertificateArn: cert }]);
    assert.equal(Listeners![0].SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    assert.deepEqual(Listeners![0].DefaultActions![0].RedirectConfig, {
      Protocol: '#{protocol}',
      Port: '#{port}',
      Host: 'example.com',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_302',
    });
    // More certificates (SNI) besides the default; the default one cannot be removed.
    const second = await p.certificate();
    const https = Listeners![0].ListenerArn!;
    const added = await p.elb.send(
      new AddListenerCertificatesCommand({ ListenerArn: https, Certificates: [{ CertificateArn: second }] }),
    );
    assert.deepEqual(added.Certificates, [{ CertificateArn: second, IsDefault: false }]);
    const listedCerts = await p.elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: https }));
    assert.deepEqual(listedCerts.Certificates, [
      { CertificateArn: cert, IsDefault: true },
      { CertificateArn: second, IsDefault: false },
    ]);
    const removeDefault = await awsError(() =>
      p.elb.send(
        new RemoveListenerCertificatesCommand({
          ListenerArn: https,
          Certificates: [{ CertificateArn: cert }],
        }),
      ),
    );
    assert.equal(removeDefault.name, 'OperationNotPermittedException');
    const unknownCert = await awsError(() =>
      p.elb.send(
        new AddListenerCertificatesCommand({
          ListenerArn: https,
          Certificates: [{ CertificateArn: `${cert}x` }],
        }),
      ),
    );
    assert.equal(unknownCert.name, 'CertificateNotFoundException');
    await p.elb.send(
      new RemoveListenerCertificatesCommand({
        ListenerArn: https,
        Certificates: [{ CertificateArn: second }],
      }),
    );
    assert.equal(
      (await p.elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: https }))).Certificates!
        .length,
      1,
    );
    // Back to HTTP: the certificate and policy go with the protocol.
    const modified = await p.elb.send(
      new ModifyListenerCommand({ ListenerArn: Listeners![0].ListenerArn, Protocol: 'HTTP', Port: 8080 }),
    );
    assert.deepEqual(
      [modified.Listeners![0].Certificates, modified.Listeners![0].SslPolicy, modified.Listeners![0].Port],
      [undefined, undefined, 8080],
    );
    const taken = await awsError(() =>
      p.elb.send(new ModifyListenerCommand({ ListenerArn: Listeners![0].ListenerArn, Port: 80 })),
    );
    assert.equal(taken.name, 'DuplicateListenerException');
    const listed = await p.elb.send(new DescribeListenersCommand({ LoadBalancerArn: alb }));
    assert.deepEqual(
      listed.Listeners!.map((l) => l.Port),
      [80, 8080],
    );
  });

  it('checks actions as ELBv2 does', async () => {
    const bad: [unknown, string][] = [
      [
        [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }],
        'InvalidLoadBalancerActionException',
      ],
      [[{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }], 'ValidationError'],
      [
        [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'image/png' } }],
        'ValidationError',
      ],
      [[{ Type: 'forward' }], 'ValidationError'],
      [
        [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: web, Weight: 1000 }] } }],
        'ValidationError',
      ],
      [
        [
          {
            Type: 'forward',
            TargetGroupArn: api,
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: web }] },
          },
        ],
        'ValidationError',
      ],
      [[{ Type: 'authenticate-oidc' }], 'ValidationError'],
      [
        [
          { Type: 'forward', TargetGroupArn: web },
          { Type: 'forward', TargetGroupArn: api },
        ],
        'InvalidLoadBalancerActionException',
      ],
      [[], 'ValidationError'],
    ];
    for (const [actions, name] of bad) {
      const e = await awsError(() =>
        p.elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: alb,
            Protocol: 'HTTP',
            Port: 9000,
            DefaultActions: actions as never,
          }),
        ),
      );
      assert.equal(e.name, name, JSON.stringify(actions));
    }
  });

  it('creates rules with both condition forms, weighted forwards and group stickiness', async () => {
    const { Rules } = await p.elb.send(
      new CreateRuleCommand({
        ListenerArn: listener,
        Priority: 10,
        Conditions: [
          { Field: 'host-header', Values: ['api.example.com'] },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*'] } },
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['blue'] } },
        ],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: web, Weight: 80 },
                { TargetGroupArn: api, Weight: 20 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
            },
          },
        ],
      }),
    );
    const rule = Rules![0];
    assert.equal(rule.Priority, '10');
    assert.equal(rule.IsDefault, false);
    assert.deepEqual(rule.Conditions, [
      {
        Field: 'host-header',
        Values: ['api.example.com'],
        HostHeaderConfig: { Values: ['api.example.com'] },
      },
      { Field: 'path-pattern', Values: ['/v1/*'], PathPatternConfig: { Values: ['/v1/*'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['blue'] } },
    ]);
    assert.equal(rule.Actions![0].TargetGroupArn, undefined);
    assert.deepEqual(rule.Actions![0].ForwardConfig?.TargetGroupStickinessConfig, {
      Enabled: true,
      DurationSeconds: 300,
    });
    const inUse = await awsError(() =>
      p.elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: 10,
          Conditions: [{ Field: 'path-pattern', Values: ['/x'] }],
          Actions: fixed404,
        }),
      ),
    );
    assert.deepEqual(
      [inUse.name, inUse.message],
      ['PriorityInUseException', "Priority '10' is currently in use"],
    );
  });

  it('checks conditions: fields, values, wildcards and the per-rule limits', async () => {
    const bad: [unknown, RegExp][] = [
      [[], /at least one condition/],
      [[{ Field: 'cookie', Values: ['x'] }], /must be one of/],
      [[{ Field: 'host-header', Values: ['a'], HostHeaderConfig: { Values: ['b'] } }], /both/],
      [[{ Field: 'path-pattern', Values: ['/a b'] }], /not allowed/],
      [[{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }], /A-Z/],
      [[{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.1'] } }], /CIDR/],
      [[{ Field: 'http-header', Values: ['x'] }], /'Values' can only be used/],
      [[{ Field: 'path-pattern', Values: ['/a', '/b', '/c', '/d', '/e', '/f'] }], /'5' condition values/],
      [
        [
          { Field: 'path-pattern', Values: ['/a*', '/b*', '/c*'] },
          { Field: 'host-header', Values: ['*.x.com', '*.y.*'] },
        ],
        /'5' wildcards/,
      ],
      [
        [
          { Field: 'path-pattern', Values: ['/a'] },
          { Field: 'path-pattern', Values: ['/b'] },
        ],
        /only one 'path-pattern'/,
      ],
    ];
    for (const [conditions, message] of bad) {
      const e = await awsError(() =>
        p.elb.send(
          new CreateRuleCommand({
            ListenerArn: listener,
            Priority: 99,
            Conditions: conditions as never,
            Actions: fixed404,
          }),
        ),
      );
      assert.equal(e.name, 'ValidationError', JSON.stringify(conditions));
      assert.match(e.message, message, JSON.stringify(conditions));
    }
    const ok = await p.elb.send(
      new CreateRuleCommand({
        ListenerArn: listener,
        Priority: 20,
        Conditions: [
          {
            Field: 'query-string',
            QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }, { Value: 'beta' }] },
          },
          { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8', '2001:db8::/32'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        ],
        Actions: fixed404,
      }),
    );
    assert.deepEqual(ok.Rules![0].Conditions![0].QueryStringConfig, {
      Values: [{ Key: 'v', Value: '2' }, { Value: 'beta' }],
    });
    const rangePriority = await awsError(() =>
      p.elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: 50001,
          Conditions: [{ Field: 'path-pattern', Values: ['/'] }],
          Actions: fixed404,
        }),
      ),
    );
    assert.equal(rangePriority.name, 'ValidationError');
  });

  it('lists rules by priority with the default last, moves priorities atomically, and keeps the default rule', async () => {
    const rules = async () => (await p.elb.send(new DescribeRulesCommand({ ListenerArn: listener }))).Rules!;
    const before = await rules();
    assert.deepEqual(
      before.map((r) => r.Priority),
      ['10', '20', 'default'],
    );
    const [r10, r20, def] = before;
    // A swap is one change: checked after both moves.
    const swapped = await p.elb.send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: r10.RuleArn, Priority: 20 },
          { RuleArn: r20.RuleArn, Priority: 10 },
        ],
      }),
    );
    assert.deepEqual(
      swapped.Rules!.map((r) => r.Priority),
      ['20', '10'],
    );
    assert.deepEqual(
      (await rules()).map((r) => r.RuleArn),
      [r20.RuleArn, r10.RuleArn, def.RuleArn],
    );
    const clash = await awsError(() =>
      p.elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: r10.RuleArn, Priority: 10 }] })),
    );
    assert.equal(clash.name, 'PriorityInUseException');
    assert.deepEqual(
      (await rules()).map((r) => r.Priority),
      ['10', '20', 'default'],
      'a refused move changes nothing',
    );
    const moveDefault = await awsError(() =>
      p.elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: def.RuleArn, Priority: 5 }] })),
    );
    assert.equal(moveDefault.name, 'OperationNotPermittedException');
    const deleteDefault = await awsError(() => p.elb.send(new DeleteRuleCommand({ RuleArn: def.RuleArn })));
    assert.equal(deleteDefault.name, 'OperationNotPermittedException');
    // The default rule's actions are the listener's default actions.
    await p.elb.send(new ModifyRuleCommand({ RuleArn: def.RuleArn, Actions: fixed404 }));
    const l = (await p.elb.send(new DescribeListenersCommand({ ListenerArns: [listener] }))).Listeners![0];
    assert.equal(l.DefaultActions![0].Type, 'fixed-response');
    const modified = await p.elb.send(
      new ModifyRuleCommand({
        RuleArn: r20.RuleArn,
        Conditions: [{ Field: 'host-header', Values: ['*.example.com'] }],
      }),
    );
    assert.deepEqual(modified.Rules![0].Conditions![0].Values, ['*.example.com']);
    await p.elb.send(new DeleteRuleCommand({ RuleArn: r20.RuleArn }));
    const gone = await awsError(() => p.elb.send(new DescribeRulesCommand({ RuleArns: [r20.RuleArn!] })));
    assert.equal(gone.name, 'RuleNotFoundException');
    const paged = await p.elb.send(new DescribeRulesCommand({ ListenerArn: listener, PageSize: 1 }));
    assert.equal(paged.Rules!.length, 1);
    assert.ok(paged.NextMarker);
  });

  it('answers and modifies listener attributes per kind of listener', async () => {
    const attrs = async (ListenerArn: string) =>
      Object.fromEntries(
        (await p.elb.send(new DescribeListenerAttributesCommand({ ListenerArn }))).Attributes!.map((a) => [
          a.Key,
          a.Value,
        ]),
      );
    const http = await attrs(listener);
    assert.equal(http['routing.http.response.server.enabled'], 'true');
    assert.equal(http['routing.http.request.x_amzn_tls_version.header_name'], 'X-Amzn-Tls-Version');
    assert.equal(http['routing.http.response.x_frame_options.header_value'], '');
    assert.equal(http['tcp.idle_timeout.seconds'], undefined);
    const modified = await p.elb.send(
      new ModifyListenerAttributesCommand({
        ListenerArn: listener,
        Attributes: [{ Key: 'routing.http.response.x_frame_options.header_value', Value: 'DENY' }],
      }),
    );
    assert.ok(
      modified.Attributes!.some(
        (a) => a.Key === 'routing.http.response.x_frame_options.header_value' && a.Value === 'DENY',
      ),
    );
    const bad = await awsError(() =>
      p.elb.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: listener,
          Attributes: [{ Key: 'routing.http.response.x_content_type_options.header_value', Value: 'sniff' }],
        }),
      ),
    );
    assert.equal(bad.name, 'InvalidConfigurationRequestException');
    const nlbListener = (await p.elb.send(new DescribeListenersCommand({ LoadBalancerArn: nlb })))
      .Listeners![0].ListenerArn!;
    assert.deepEqual(await attrs(nlbListener), { 'tcp.idle_timeout.seconds': '350' });
    const albKey = await awsError(() =>
      p.elb.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: nlbListener,
          Attributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }],
        }),
      ),
    );
    assert.equal(albKey.name, 'ValidationError');
  });

  it('enforces 50 listeners per load balancer (TooManyListeners)', async () => {
    const { LoadBalancers } = await p.elb.send(
      new CreateLoadBalancerCommand({
        Name: 'many',
        Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
      }),
    );
    const arn = LoadBalancers![0].LoadBalancerArn!;
    for (let port = 1000; port < 1050; port++) {
      await p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: arn,
          Protocol: 'HTTP',
          Port: port,
          DefaultActions: fixed404,
        }),
      );
    }
    const e = await awsError(() =>
      p.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: arn,
          Protocol: 'HTTP',
          Port: 2000,
          DefaultActions: fixed404,
        }),
      ),
    );
    assert.equal(e.name, 'TooManyListenersException');
    const all = [];
    let marker: string | undefined;
    do {
      const page = await p.elb.send(
        new DescribeListenersCommand({ LoadBalancerArn: arn, PageSize: 20, Marker: marker }),
      );
      all.push(...page.Listeners!.map((l) => l.Port));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(
      all,
      Array.from({ length: 50 }, (_, i) => 1000 + i),
    );
  });

  it('enforces 100 rules per ALB (TooManyRules), default rules not counted', async () => {
    const { LoadBalancers } = await p.elb.send(
      new CreateLoadBalancerCommand({
        Name: 'rules',
        Subnets: [p.subnets['us-east-1a'], p.subnets['us-east-1b']],
      }),
    );
    const make = async (port: number) =>
      (
        await p.elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: LoadBalancers![0].LoadBalancerArn,
            Protocol: 'HTTP',
            Port: port,
            DefaultActions: fixed404,
          }),
        )
      ).Listeners![0].ListenerArn!;
    const [first, second] = [await make(80), await make(81)];
    const rule = (ListenerArn: string, Priority: number) =>
      p.elb.send(
        new CreateRuleCommand({
          ListenerArn,
          Priority,
          Conditions: [{ Field: 'path-pattern', Values: [`/${Priority}`] }],
          Actions: fixed404,
        }),
      );
    for (let i = 1; i <= 50; i++) await rule(first, i);
    for (let i = 1; i <= 50; i++) await rule(second, i);
    const e = await awsError(() => rule(second, 51));
    assert.equal(e.name, 'TooManyRulesException');
  });

  it('has no rules on NLB listeners', async () => {
    const l = (await p.elb.send(new DescribeListenersCommand({ LoadBalancerArn: nlb }))).Listeners![0];
    const e = await awsError(() =>
      p.elb.send(
        new CreateRuleCommand({
          ListenerArn: l.ListenerArn,
          Priority: 1,
          Conditions: [{ Field: 'path-pattern', Values: ['/'] }],
          Actions: fixed404,
        }),
      ),
    );
    assert.equal(e.name, 'InvalidConfigurationRequestException');
  });
});

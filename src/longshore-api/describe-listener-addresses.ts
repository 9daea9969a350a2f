/**
 * DescribeListenerAddresses (Longshore's own API, beyond ELBv2): where each load balancer
 * listener of the caller's region actually listens on this host. ELBv2 has no field for it: a
 * listener's port is its port on AWS, while here port 80 may be taken or need privileges, and then
 * the data plane listens on a free port instead. `longshore lb listeners` calls it.
 */
import type { InputSchema } from '../aws/service.ts';
import { listListeners, listLoadBalancers } from '../elbv2/model/index.ts';
import type { Reader } from '../store/store.ts';

export const DescribeListenerAddressesRequest$: InputSchema = [
  3,
  'com.longshore',
  'DescribeListenerAddressesRequest',
  0,
  ['loadBalancerName'],
  [0],
];

export interface DescribeListenerAddressesInput {
  loadBalancerName?: string;
}

/** Where the data plane listens for one listener (its `listening` / `listen-failed` reports). */
export interface ListenerAddressReport {
  listenerArn: string;
  hostAddress?: string;
  hostPort?: number;
  error?: string;
}

export interface ListenerAddress {
  loadBalancerName: string;
  loadBalancerArn: string;
  dnsName: string;
  listenerArn: string;
  protocol: string;
  port: number;
  /** `127.0.0.1`; absent while the data plane has not reported the listener yet. */
  hostAddress?: string;
  hostPort?: number;
  /** `http://<dns name>[:<host port>]/` for HTTP(S) listeners, `<dns name>:<host port>` for the others. */
  url?: string;
  /** Why the listener cannot listen, when it cannot. */
  error?: string;
}

export async function describeListenerAddresses(
  reader: Reader,
  input: DescribeListenerAddressesInput,
  reports: readonly ListenerAddressReport[],
): Promise<{ listeners: ListenerAddress[] }> {
  const byArn = new Map(reports.map((r) => [r.listenerArn, r]));
  const out: ListenerAddress[] = [];
  const lbs = (await listLoadBalancers(reader)).filter(
    (lb) => input.loadBalancerName === undefined || lb.name === input.loadBalancerName,
  );
  for (const lb of lbs) {
    for (const listener of await listListeners(reader, lb.arn)) {
      const report = byArn.get(listener.arn);
      const entry: ListenerAddress = {
        loadBalancerName: lb.name,
        loadBalancerArn: lb.arn,
        dnsName: lb.dnsName,
        listenerArn: listener.arn,
        protocol: listener.protocol,
        port: listener.port,
      };
      if (report?.hostPort !== undefined) {
        entry.hostAddress = report.hostAddress;
        entry.hostPort = report.hostPort;
        entry.url = urlOf(listener.protocol, lb.dnsName, report.hostPort);
      }
      if (report?.error) entry.error = report.error;
      out.push(entry);
    }
  }
  return { listeners: out };
}

function urlOf(protocol: string, dnsName: string, hostPort: number): string {
  if (protocol === 'HTTP') return `http://${dnsName}${hostPort === 80 ? '' : `:${hostPort}`}/`;
  if (protocol === 'HTTPS') return `https://${dnsName}${hostPort === 443 ? '' : `:${hostPort}`}/`;
  return `${dnsName}:${hostPort}`;
}

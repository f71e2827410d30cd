/** Request counts and latencies by route, in Prometheus text format (no client library needed). */
export class HttpMetrics {
  private static readonly BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lkey = `method="${method}",route="${escapeLabel(route)}"`;
    let h = this.latency.get(lkey);
    if (h === undefined) {
      h = { buckets: HttpMetrics.BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(lkey, h);
    }
    HttpMetrics.BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  render(): string {
    const out: string[] = [
      '# HELP verdict_http_requests_total HTTP requests answered, by route and status.',
      '# TYPE verdict_http_requests_total counter',
    ];
    for (const [labels, n] of this.requests) out.push(`verdict_http_requests_total{${labels}} ${n}`);
    out.push('# HELP verdict_http_request_duration_seconds Time to answer, by route.', '# TYPE verdict_http_request_duration_seconds histogram');
    for (const [labels, h] of this.latency) {
      HttpMetrics.BUCKETS.forEach((le, i) => out.push(`verdict_http_request_duration_seconds_bucket{${labels},le="${le}"} ${h.buckets[i]}`));
      out.push(`verdict_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      out.push(`verdict_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      out.push(`verdict_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}

/** One gauge family: `name{label="value"} n` lines with their HELP and TYPE. */
export function gauge(name: string, help: string, samples: readonly { labels?: Record<string, string>; value: number }[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const s of samples) {
    const labels = s.labels === undefined ? '' : `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
    lines.push(`${name}${labels} ${s.value}`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

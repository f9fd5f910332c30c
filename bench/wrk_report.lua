-- wrk prints 50/75/90/99% with --latency but not 95%: this hook prints every figure
-- the harness reads as one JSON line (latencies in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
    .. '"status_errors": %d, "timeouts": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end

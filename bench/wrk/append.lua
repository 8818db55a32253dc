-- wrk script: append a message to one of the sessions listed in $CORA_BENCH_SESSIONS, in turn.
local sessions = {}
for line in io.lines(os.getenv("CORA_BENCH_SESSIONS")) do
  sessions[#sessions + 1] = line
end
local user = os.getenv("CORA_BENCH_USER")
local body = '{"sender":"user","text":"How long does a windshield claim take to settle?"}'
local counter = math.random(1, #sessions)

request = function()
  counter = counter + 1
  local path = "/sessions/" .. user .. "/" .. sessions[(counter % #sessions) + 1] .. "/messages"
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT %d %d %d %d %d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  ))
end

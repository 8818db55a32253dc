-- wrk script. With $CORA_BENCH_SESSIONS (a file of session ids) and $CORA_BENCH_USER set, each
-- request appends a message to the next session in turn; without them, wrk's plain GET is sent.
-- Either way `done` prints one line: RESULT requests duration_us p50_us p99_us errors.
local listing = os.getenv("CORA_BENCH_SESSIONS")

if listing then
  local sessions = {}
  for line in io.lines(listing) do
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
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status + errors.connect + errors.read + errors.write + errors.timeout
  ))
end

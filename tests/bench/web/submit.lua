-- wrk script: submits each filled-in form instance from FORMS_FILE once
-- (POST page=<review> action=submit with its CSRF token and form key), the
-- instances split between wrk's threads. Each submission is answered only
-- after its group commit. When a thread's share is used up it re-sends its
-- last form, which the server answers without storing anything (idempotent),
-- so run_web_bench.sh counts the stored responses in the database rather
-- than wrk's requests. FORMS_FILE is made by tests/bench/web/prefill.py.
local forms = {}
for line in io.lines(os.getenv("FORMS_FILE")) do
  local path, csrf, key, page = line:match("^(%S+) (%S+) (%S+) (%S+)$")
  if path then forms[#forms + 1] = { path, csrf, key, page } end
end

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local mine, next_index = {}, 1
non_ok = 0 -- global: read by done() through thread:get
function init(args)
  local n = tonumber(os.getenv("WRK_THREADS") or "2")
  for i = id, #forms, n do mine[#mine + 1] = forms[i] end
  -- wrk calls request() once on the first thread's state to check the script
  -- (script_verify_request) and never sends what it returns: give that call
  -- a copy of the first form, so that every form is sent.
  if id == 1 and #mine > 0 then table.insert(mine, 1, mine[1]) end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local f = mine[next_index] or mine[#mine]
  next_index = next_index + 1
  return wrk.format("POST", f[1], nil, "csrf=" .. f[2] .. "&form=" .. f[3] .. "&page=" .. f[4] .. "&action=submit")
end

function response(status, headers, body)
  if status ~= 303 then non_ok = non_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non_ok") end
  io.stderr:write(string.format("submit.lua: %d forms, %d answers other than 303\n", #forms, bad))
end

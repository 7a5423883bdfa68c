-- PATCH a random action item's status, alternating between two statuses.
-- wrk runs this script in a Lua state per thread: seed each thread apart,
-- or every thread sends the same sequence of requests.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + thread_id)
end
local statuses = {"in_progress", "open"}
local n = 0
request = function()
  n = n + 1
  local id = math.random(1, tonumber(os.getenv("ITEMS") or "1000000"))
  local body = '{"status":"' .. statuses[(n % 2) + 1] .. '"}'
  return wrk.format("PATCH", "/api/v1/action-items/" .. id, {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
  }, body)
end

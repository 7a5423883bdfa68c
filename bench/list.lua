-- GET the open items of a random one of 2,000 customers, so that the read
-- cache (32 MB) cannot hold every answer.
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
request = function()
  local headers = {["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
  if os.getenv("GZIP") then
    headers["Accept-Encoding"] = "gzip"
  end
  return wrk.format("GET", "/api/v1/action-items?status=open&customer_id=" .. math.random(1, 2000), headers)
end

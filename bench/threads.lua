-- wrk runs a script in a Lua state per thread: seed each thread apart,
-- or every thread sends the same sequence of requests. thread_id tells
-- the threads apart.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + thread_id)
end

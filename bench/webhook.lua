-- POST one signed GitHub delivery with a new delivery id each time; the
-- signature covers the body only, so it stays valid.
local f = io.open(os.getenv("PAYLOAD"), "rb")
local body = f:read("*a")
f:close()
local sig = os.getenv("SIGNATURE")
dofile("bench/threads.lua")
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/webhooks/github", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "issues",
    ["X-GitHub-Delivery"] = string.format("bench-%d-%d-%d-%d", os.time(), thread_id, math.random(1, 1000000000), n),
    ["X-Hub-Signature-256"] = sig,
  }, body)
end

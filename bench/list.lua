-- GET the open items of a random one of 2,000 customers, so that the read
-- cache (32 MB) cannot hold every answer.
dofile("bench/threads.lua")
request = function()
  local headers = {["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
  if os.getenv("GZIP") then
    headers["Accept-Encoding"] = "gzip"
  end
  return wrk.format("GET", "/api/v1/action-items?status=open&customer_id=" .. math.random(1, 2000), headers)
end

-- wrk script (issue 17): walk a list of URL paths, each sent exactly once, then stop.
--
--   wrk -t1 -c32 -d900s --latency -s bench/once.lua http://127.0.0.1:PORT/ -- PATHS_FILE 1
--
-- PATHS_FILE holds one path (with its query string) a line; the last argument is wrk's thread
-- count (thread k takes lines k, k + threads, ...; bench/workloads.py runs one thread, see there).
-- Each connection reserves a path in delay() before it sends, so no path is sent twice and none
-- is skipped.
--
-- Once the last path is sent, the thread stops at its next answer, without waiting for the
-- answers still in flight (at most one per other connection): gunicorn's sync workers close every
-- connection after one answer, wrk reconnects at once, and a connection with nothing left to send
-- would sit open and idle, holding a worker until wrk exits. The stopping thread prints "thread K
-- finished"; wrk itself would sleep out the whole -d, so the harness sends wrk SIGINT once every
-- thread has finished, and wrk's requests/s are over the walk's real duration (-d is only a
-- cap). done() prints how many paths were sent and answered, and the answers per status.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local file, step = args[1], tonumber(args[2])
  paths = {}
  local n = 0
  for line in io.lines(file) do
    if line ~= "" then
      n = n + 1
      if (n - 1) % step == id - 1 then
        table.insert(paths, line)
      end
    end
  end
  reserved, sent, answered = 0, 0, 0
  statuses = {}
end

-- Say so on stdout (the harness interrupts wrk once every thread has) and stop the event loop.
function finished()
  io.stdout:write(string.format("thread %d finished\n", id))
  io.stdout:flush()
  wrk.thread:stop()
end

-- Called before each request of a connection: while paths are left, reserve one and send at
-- once; when none is left, park the connection (the thread is about to stop).
function delay()
  if reserved < #paths then
    reserved = reserved + 1
    return 0
  end
  return 3600000
end

function request()
  -- wrk also calls this once before the run starts, to check the request it builds: answer that
  -- call without using up a path (nothing has been reserved for it).
  if sent >= reserved then
    return wrk.format("GET", paths[1] or "/")
  end
  sent = sent + 1
  return wrk.format("GET", paths[sent])
end

function response(status, headers, body)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if sent == #paths and not stopping then
    stopping = true
    finished()
  end
end

function done(summary, latency, requests)
  local sent_total, answered_total, total = 0, 0, {}
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    answered_total = answered_total + thread:get("answered")
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  io.write(string.format("urls sent: %d\n", sent_total))
  io.write(string.format("urls answered: %d\n", answered_total))
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end

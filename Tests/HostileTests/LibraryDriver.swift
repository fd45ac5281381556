/// The Lua half of the library differential test (``LibraryCase``): helpers that every case uses,
/// run unchanged by phasekit and by the stock `lua5.4`.
///
/// A case's line is `ok|error RESULTS | ARGUMENT-TABLES-AFTER | LOG`: the results as `show` prints
/// them, each table argument's raw contents after the call (a proxy's store), and the log of every
/// metamethod and order-function call the proxies saw, in order. The harness itself uses no
/// `table.sort`, `table.concat`, `table.insert` or pattern function, so a broken one shows in the
/// cases and not in the way they are printed.
enum LibraryDriver {
    /// The helpers: `show`, `dump`, the list makers (`P`, `LEN`, `RO`, `IDX`, `EQ`, `OBJ`, `R`, `SEQ`,
    /// `RECS`), the order functions `C.*`, the functions `F.*` for pcall, xpcall and gsub,
    /// `CALLABLE`, `keep`, `ITER` (gmatch's iterator, run to its end), `finish` and `run_case`.
    static let helpers = #"""
        local LOG, NAMES, STORES = {}, {}, {}
        local function log(s) LOG[#LOG + 1] = s end
        local function join(list, separator)   -- halves joined in turn: no quadratic copying
          local function range(i, j)
            if i > j then return "" end
            if i == j then return list[i] end
            local middle = (i + j) // 2
            return range(i, middle) .. separator .. range(middle + 1, j)
          end
          return range(1, #list)
        end
        local function escape(s)
          local out, n = {}, #s
          local shown = n > 120 and 40 or n
          for i = 1, shown do
            local b = string.byte(s, i)
            out[i] = (b >= 32 and b < 127 and b ~= 92 and b ~= 124) and string.char(b) or ("\\" .. b)
          end
          if n > shown then
            local h = 0
            for i = 1, n, 4096 do
              local last = i + 4095
              if last > n then last = n end
              local bytes = {string.byte(s, i, last)}
              for j = 1, #bytes do h = (h * 31 + bytes[j]) & 0xffffffffff end
            end
            out[#out + 1] = "...<" .. n .. " bytes, hash " .. h .. ">"
          end
          return join(out, "")
        end
        local function show(v)
          local t = type(v)
          if t == "string" then return '"' .. escape(v) .. '"'
          elseif t == "number" then return math.type(v) .. ":" .. tostring(v)
          elseif t == "table" then
            if NAMES[v] then return NAMES[v] end
            if rawget(v, "id") ~= nil then return "R" .. tostring(rawget(v, "k")) .. "." .. tostring(rawget(v, "id")) end
            return "table"
          elseif t == "function" then return NAMES[v] or "function"
          end
          return tostring(v)
        end
        local function key_before(a, b)
          local ta, tb = math.type(a) or type(a), math.type(b) or type(b)
          if ta ~= tb then return ta < tb end
          if ta == "boolean" then return (not a) and b end
          if ta == "table" then return show(a) < show(b) end
          return a < b
        end
        local function dump(t)
          local keys = {}
          for k in next, t do keys[#keys + 1] = k end
          for i = 2, #keys do   -- insertion sort: the harness does not rely on table.sort
            local k, j = keys[i], i - 1
            while j >= 1 and key_before(k, keys[j]) do keys[j + 1] = keys[j]; j = j - 1 end
            keys[j + 1] = k
          end
          local parts = {}
          for i = 1, #keys do
            if i > 60 then parts[#parts + 1] = "... " .. #keys .. " keys"; break end
            parts[#parts + 1] = show(keys[i]) .. "=" .. show(rawget(t, keys[i]))
          end
          return "{" .. join(parts, ",") .. "}"
        end
        local function short(v)
          if type(v) == "string" then return '"' .. escape(v) .. '"' end
          return show(v)
        end
        -- Lists with metamethods: P logs every read, write and length through a store; LEN has a length of
        -- its own; RO refuses writes; EQ equals anything by __eq; OBJ has __lt, __le, __concat.
        local function P(n, ...)
          local store, proxy = {...}, {}
          STORES[proxy] = store
          return setmetatable(proxy, {
            __index = function(_, k) log("r" .. short(k)); return store[k] end,
            __newindex = function(_, k, v) log("w" .. short(k) .. "=" .. short(v)); store[k] = v end,
            __len = function() log("#"); return n end,
          })
        end
        local function LEN(n, ...)
          return setmetatable({...}, {__len = function() log("#"); return n end})
        end
        local function RO(...)
          return setmetatable({...}, {__newindex = function(_, k) error("read-only " .. show(k)) end})
        end
        local function IDX(...)
          local store = {...}
          return setmetatable({}, {__index = function(_, k) log("r" .. short(k)); return store[k] end})
        end
        local eq_meta = {__eq = function() log("eq"); return true end}
        local function EQ(...) return setmetatable({...}, eq_meta) end
        local obj_meta = {
          __lt = function(a, b) return a.k < b.k end,
          __le = function(a, b) return a.k <= b.k end,
          __concat = function(a, b) return "cat" end,
          __tostring = function(a) return "obj" end,
        }
        local function OBJ(k, id) return setmetatable({k = k, id = id}, obj_meta) end
        local function R(k, id) return {k = k, id = id} end
        -- A list of n numbers from 1 to m (many equal when m is small), the same in every interpreter.
        local function SEQ(n, m, seed)
          local list, x = {}, seed
          for i = 1, n do x = (x * 1103515245 + 12345) % 2147483648; list[i] = x % m + 1 end
          return list
        end
        local function RECS(n, m, seed)
          local list = SEQ(n, m, seed)
          for i = 1, n do list[i] = R(list[i], i) end
          return list
        end
        local flips = 0
        local C = {
          lt = function(a, b) return a < b end,
          gt = function(a, b) return a > b end,
          le = function(a, b) return a <= b end,
          always = function() return true end,
          never = function() return false end,
          err = function(a) error("order " .. show(a)) end,
          errt = function() error({}) end,
          log = function(a, b) log("c" .. show(a) .. "," .. show(b)); return a < b end,
          key = function(a, b) return a.k < b.k end,
          keyle = function(a, b) return a.k <= b.k end,
          one = function() return 1 end,
          none = function() end,
          flip = function() flips = flips + 1; return flips % 3 == 0 end,
        }
        local F = {
          ret3 = function() return 1, nil, 3 end,
          count = function(...) return select("#", ...), ... end,
          errtable = function() error({code = 1}) end,
          errnil = function() error(nil) end,
          errnum = function() error(42) end,
          errlevel = function() error("up", 2) end,
          errnolevel = function() error("bare", 0) end,
          yield = function(...) return coroutine.yield(...) end,
          handler = function(m) return "H:" .. show(m) end,
          handlererr = function(m) error("in handler") end,
          handlernone = function() end,
          handlermany = function(m) return 1, 2, 3 end,
          repl = function(...) local n = select("#", ...); return n .. ":" .. show((...)) end,
          replfalse = function() return false end,
          repltable = function() return {} end,
          nested = function(...) return pcall(error, ...) end,
        }
        F.deep = function(n) return 1 + F.deep((n or 0) + 1) end
        F.copcall = function(...)   -- pcall across a yield: resumed, then the error it raises
          local co = coroutine.create(function(...)
            return pcall(function(...) local a = coroutine.yield(...); error(a) end, ...)
          end)
          local first = {coroutine.resume(co, ...)}
          local second = {coroutine.resume(co, "again")}
          return first[1], first[2], second[1], second[2], second[3], coroutine.status(co)
        end
        F.coxpcall = function(...)  -- xpcall across a yield, the handler given a table error
          local co = coroutine.wrap(function(...)
            return xpcall(function(...) local a = coroutine.yield(...); error({a}) end,
                          function(m) return "H:" .. show(m[1]) end, ...)
          end)
          local first = co(...)
          return first, co("y")
        end
        local CALLABLE = setmetatable({}, {__call = function(self, ...) return "called", ... end})
        for name, f in pairs(C) do NAMES[f] = "C." .. name end
        for name, f in pairs(F) do NAMES[f] = "F." .. name end
        NAMES[CALLABLE] = "CALLABLE"
        local function keep(...) return ... end
        local function ITER(f, s, c)
          local out = {}
          for i = 1, 12 do
            local results = {pcall(f, s, c)}
            local parts = {}
            for j = 1, #results do parts[j] = show(results[j]) end
            out[i] = join(parts, " ")
            if not results[1] or results[2] == nil then break end
          end
          return "iter[" .. join(out, "; ") .. "]"
        end
        local function finish(args, ok, ...)
          local parts = {ok and "ok" or "error"}
          for i = 1, select("#", ...) do
            if i > 12 then parts[#parts + 1] = "... " .. select("#", ...) .. " results"; break end
            parts[#parts + 1] = show((select(i, ...)))
          end
          local after = {}
          for i = 1, args.n do
            local a = args[i]
            if type(a) == "table" and NAMES[a] and string.sub(NAMES[a], 1, 1) == "a" then
              after[#after + 1] = NAMES[a] .. dump(STORES[a] or a)
            end
          end
          local calls = LOG
          if #LOG > 300 then
            calls = {}
            for i = 1, 300 do calls[i] = LOG[i] end
            calls[301] = "... " .. #LOG .. " calls"
          end
          return join(parts, " ") .. " | " .. join(after, " ") .. " | " .. join(calls, " ")
        end
        local function name_args(...)
          local args = {n = select("#", ...), ...}
          for i = 1, args.n do
            if type(args[i]) == "table" and not NAMES[args[i]] then NAMES[args[i]] = "a" .. i end
          end
          return args
        end
        local function run_case(case)
          LOG, flips = {}, 0
          local ok, line = pcall(case)
          if not ok then return "driver error " .. show(line) end
          return line
        end
        """#
}

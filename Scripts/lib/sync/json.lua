-- A small, strict JSON decoder (RFC 8259) for configuration exports and inventories.
--
--   local json = require("sync.json")
--   local value = json.decode(text)        -- raises "json: <problem> at line L column C"
--   local value, err = json.try_decode(text)  -- nil and the message instead of raising
--
-- Objects become Lua tables keyed by string, arrays become sequences (1-based). JSON null
-- becomes json.null (a unique sentinel), so a null inside an array keeps the array's length;
-- test with `value == json.null`. Numbers written without a fraction or exponent that fit a
-- 64-bit integer become Lua integers; the others become floats. Duplicate object keys are an
-- error (a configuration file with two values for one key is ambiguous).

local json = {}

-- The value JSON null decodes to.
json.null = setmetatable({}, { __tostring = function() return "json.null" end })

-- Deeper nesting than this is refused (a hostile or broken file must not exhaust the stack).
local max_depth = 200

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

-- Raises an error naming the line and column of byte `pos` of `text`.
local function fail(text, pos, message)
  local line, column = 1, 1
  for i = 1, math.min(pos, #text + 1) - 1 do
    if text:byte(i) == 10 then
      line, column = line + 1, 1
    else
      column = column + 1
    end
  end
  error(string.format("json: %s at line %d column %d", message, line, column), 0)
end

-- Skips whitespace; returns the position of the next significant byte.
local function skip(text, pos)
  local _, last = text:find("^[ \t\r\n]*", pos)
  return last + 1
end

local decode_value -- forward declaration

-- Reads four hex digits at `pos`.
local function hex4(text, pos)
  local digits = text:match("^%x%x%x%x", pos)
  if not digits then fail(text, pos, "expected four hex digits after \\u") end
  return tonumber(digits, 16)
end

-- Decodes a string whose opening quote is at `pos`; returns the string and the next position.
local function decode_string(text, pos)
  local parts = {}
  local i = pos + 1
  while true do
    local run_end = text:find('["\\\0-\31]', i)
    if not run_end then fail(text, pos, "unterminated string") end
    parts[#parts + 1] = text:sub(i, run_end - 1)
    local char = text:sub(run_end, run_end)
    if char == '"' then
      return table.concat(parts), run_end + 1
    elseif char == "\\" then
      local code = text:sub(run_end + 1, run_end + 1)
      if code == "u" then
        local unit = hex4(text, run_end + 2)
        i = run_end + 6
        if unit >= 0xD800 and unit <= 0xDBFF then
          -- A high surrogate must be followed by a low one: together they are one code point.
          if text:sub(i, i + 1) ~= "\\u" then fail(text, i, "lone high surrogate") end
          local low = hex4(text, i + 2)
          if low < 0xDC00 or low > 0xDFFF then fail(text, i, "invalid low surrogate") end
          unit = 0x10000 + (unit - 0xD800) * 0x400 + (low - 0xDC00)
          i = i + 6
        elseif unit >= 0xDC00 and unit <= 0xDFFF then
          fail(text, run_end, "lone low surrogate")
        end
        parts[#parts + 1] = utf8.char(unit)
      elseif escapes[code] then
        parts[#parts + 1] = escapes[code]
        i = run_end + 2
      else
        fail(text, run_end, "invalid escape")
      end
    else
      fail(text, run_end, "control character in string")
    end
  end
end

-- Decodes a number at `pos`: -?int(.digits)?([eE][-+]?digits)?, no leading zeros.
local function decode_number(text, pos)
  local int_part = text:match("^-?%d+", pos)
  if not int_part then fail(text, pos, "invalid number") end
  if int_part:match("^-?0%d") then fail(text, pos, "leading zero in number") end
  local i = pos + #int_part
  local fraction = text:match("^%.%d+", i)
  if not fraction and text:sub(i, i) == "." then fail(text, i, "digits expected after '.'") end
  i = i + (fraction and #fraction or 0)
  local exponent = text:match("^[eE][-+]?%d+", i)
  if not exponent and text:sub(i, i):match("[eE]") then fail(text, i, "digits expected in exponent") end
  i = i + (exponent and #exponent or 0)
  local value = tonumber(text:sub(pos, i - 1))
  if not fraction and not exponent then
    -- Integers stay integers unless they do not fit 64 bits.
    value = math.tointeger(value) or value
  end
  return value, i
end

local literals = { ["true"] = true, ["false"] = false }

-- Decodes an array or object whose opening bracket is at `pos`.
local function decode_container(text, pos, depth)
  if depth > max_depth then fail(text, pos, "nesting deeper than " .. max_depth) end
  local is_object = text:sub(pos, pos) == "{"
  local close = is_object and "}" or "]"
  local result, count = {}, 0
  local i = skip(text, pos + 1)
  if text:sub(i, i) == close then return result, i + 1 end
  while true do
    if is_object then
      if text:sub(i, i) ~= '"' then fail(text, i, "expected a string key") end
      local key
      key, i = decode_string(text, i)
      i = skip(text, i)
      if text:sub(i, i) ~= ":" then fail(text, i, "expected ':'") end
      if result[key] ~= nil then fail(text, i, "duplicate key '" .. key .. "'") end
      result[key], i = decode_value(text, skip(text, i + 1), depth + 1)
    else
      count = count + 1
      result[count], i = decode_value(text, i, depth + 1)
    end
    i = skip(text, i)
    local char = text:sub(i, i)
    if char == close then return result, i + 1 end
    if char ~= "," then fail(text, i, "expected ',' or '" .. close .. "'") end
    i = skip(text, i + 1)
  end
end

-- Decodes any value starting at `pos` (whitespace already skipped).
decode_value = function(text, pos, depth)
  local char = text:sub(pos, pos)
  if char == "{" or char == "[" then return decode_container(text, pos, depth) end
  if char == '"' then return decode_string(text, pos) end
  if char == "-" or char:match("%d") then return decode_number(text, pos) end
  for word, value in pairs(literals) do
    if text:sub(pos, pos + #word - 1) == word then return value, pos + #word end
  end
  if text:sub(pos, pos + 3) == "null" then return json.null, pos + 4 end
  if char == "" then fail(text, pos, "unexpected end of input") end
  fail(text, pos, "unexpected character '" .. char .. "'")
end

-- Decodes a whole JSON text; raises on any error.
function json.decode(text)
  if type(text) ~= "string" then error("json: decode expects a string, got " .. type(text), 2) end
  if text:sub(1, 3) == "\239\187\191" then text = text:sub(4) end -- a UTF-8 byte order mark
  local value, pos = decode_value(text, skip(text, 1), 1)
  pos = skip(text, pos)
  if pos <= #text then fail(text, pos, "trailing characters after the value") end
  return value
end

-- Decodes a whole JSON text; returns nil and the message instead of raising.
function json.try_decode(text)
  local ok, result = pcall(json.decode, text)
  if ok then return result end
  return nil, result
end

return json

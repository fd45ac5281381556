// The Lua 5.4 C API from Debian's liblua5.4-dev (the C build: errors are longjmp, never C++ exceptions).
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

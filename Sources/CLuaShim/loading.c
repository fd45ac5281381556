// Compiling chunks under the run's limits: `load`, `require` and the host's own loads.
//
// Every chunk reaches Lua's parser through one reader that hands it out in small pieces, checks
// the run's deadline before each piece and refuses a chunk larger than CLUA_MAXIMUM_CHUNK bytes.
// Lua's parser does superlinear work on some inputs (a long `elseif` chain costs time quadratic
// in its length) and runs no instruction, so no hook can stop it; the reader can, since the
// parser asks it for more text as it goes. A reader error unwinds to the protected parser (C
// frames only) and the load reports it.
//
// `load` is written here from the Lua 5.4 reference manual's description (text chunks only);
// `require` loads Lua source files from the search path only.
#include "internal.h"
#include <stdio.h>
#include <string.h>

static const char *const search_path_key = "phasekit.search_path";
static const char *const loaded_key = "phasekit.loaded";

/// Bytes the parser gets per reader call: the deadline is checked this often.
#define CLUA_CHUNK_PIECE 4096

/// Stack slot `load` keeps the reader function's latest piece in, so it is not collected.
#define PIECE_SLOT 5

typedef struct chunk_reader {
    const char *text;        // a chunk held in memory: what is left of it
    size_t left;
    int function;            // or the stack index of a reader function (load(function))
    size_t total;            // bytes handed to the parser so far
    const char *name;        // for messages
} chunk_reader;

/// A chunk's name for messages: a file's path, `=name` without its `=`, or the start of a source
/// string (a string chunk is named by its own text by default). Written into `room`.
static const char *describe_chunk(const char *chunkname, char room[LUA_IDSIZE]) {
    if (chunkname[0] == '=' || chunkname[0] == '@') return chunkname + 1;
    size_t length = strcspn(chunkname, "\n");
    if (length > LUA_IDSIZE - 16) length = LUA_IDSIZE - 16;
    snprintf(room, LUA_IDSIZE, "[string \"%.*s%s\"]", (int)length, chunkname, chunkname[length] ? "..." : "");
    return room;
}

/// Raises when the run's deadline passed (or a limit tripped) while compiling.
static void check_compile_limits(lua_State *L, chunk_reader *reader) {
    clua_runtime *runtime = clua_runtime_of(L);
    if (runtime->tripped == CLUA_LIMIT_NONE && runtime->deadline > 0 && clua_monotonic_seconds() > runtime->deadline) {
        clua_trip(runtime, CLUA_LIMIT_TIME);
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) {
        char room[LUA_IDSIZE];
        runtime->host_depth++;
        clua_set_limit_detail(runtime, "while compiling ", describe_chunk(reader->name, room));
        runtime->host_depth--;
        clua_raise_tripped(L);
    }
}

static const char *read_piece(lua_State *L, void *data, size_t *size) {
    chunk_reader *reader = (chunk_reader *)data;
    check_compile_limits(L, reader);
    const char *piece = NULL;
    *size = 0;
    if (reader->function) {
        luaL_checkstack(L, 2, "too many nested functions");
        lua_pushvalue(L, reader->function);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return NULL;
        }
        if (!lua_isstring(L, -1)) luaL_error(L, "reader function must return a string");
        lua_replace(L, PIECE_SLOT);
        piece = lua_tolstring(L, PIECE_SLOT, size);
    } else if (reader->left > 0) {
        piece = reader->text;
        *size = reader->left < CLUA_CHUNK_PIECE ? reader->left : CLUA_CHUNK_PIECE;
        reader->text += *size;
        reader->left -= *size;
    }
    reader->total += *size;
    if (reader->total > CLUA_MAXIMUM_CHUNK) {
        char room[LUA_IDSIZE];
        luaL_error(L, "%s: chunk larger than %d bytes", describe_chunk(reader->name, room), CLUA_MAXIMUM_CHUNK);
    }
    return piece;
}

/// Compiles a text chunk held in memory under the limits; pushes the function or the error.
static int load_text(lua_State *L, const char *text, size_t length, const char *chunkname) {
    if (length > CLUA_MAXIMUM_CHUNK) {
        char room[LUA_IDSIZE];
        lua_pushfstring(L, "%s: chunk larger than %d bytes", describe_chunk(chunkname, room), CLUA_MAXIMUM_CHUNK);
        return LUA_ERRSYNTAX;
    }
    chunk_reader reader = { text, length, 0, 0, chunkname };
    clua_runtime *runtime = clua_runtime_of(L);
    char activity[300], room[LUA_IDSIZE];
    snprintf(activity, sizeof activity, "compiling %s", describe_chunk(chunkname, room));
    clua_set_activity(runtime, activity);
    int status = lua_load(L, read_piece, &reader, chunkname, "t");
    clua_set_activity(runtime, NULL);
    return status;
}

int clua_load_text(lua_State *L, const char *buffer, size_t length, const char *chunkname) {
    clua_runtime *runtime = clua_runtime_of(L);
    clua_backstop_watch(runtime);
    int status = load_text(L, buffer, length, chunkname);
    clua_backstop_unwatch(runtime);
    return status;
}

/// load(chunk [, chunkname [, mode [, env]]]): text chunks only, whatever mode asks for.
int clua_sandbox_load(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    int has_env = !lua_isnoneornil(L, 4);
    int status;
    if (lua_type(L, 1) == LUA_TSTRING) {
        size_t length;
        const char *text = lua_tolstring(L, 1, &length);
        const char *chunkname = luaL_optstring(L, 2, text);
        status = load_text(L, text, length, chunkname);
    } else {
        const char *chunkname = luaL_optstring(L, 2, "=(load)");
        luaL_checktype(L, 1, LUA_TFUNCTION);
        lua_settop(L, PIECE_SLOT);
        chunk_reader reader = { NULL, 0, 1, 0, chunkname };
        status = lua_load(L, read_piece, &reader, chunkname, "t");
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    if (status != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env) {
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

// MARK: require: Lua source modules from the search path only

static int valid_module_name(const char *name) {
    int at_segment_start = 1;
    if (*name == '\0') return 0;
    for (const char *c = name; *c; c++) {
        int letter = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_';
        int digit = *c >= '0' && *c <= '9';
        if (*c == '.') {
            if (at_segment_start) return 0;
            at_segment_start = 1;
        } else if (letter || (digit && !at_segment_start)) {
            at_segment_start = 0;
        } else {
            return 0;
        }
    }
    return !at_segment_start;
}

/// Reads a module's source (at most CLUA_MAXIMUM_CHUNK bytes) and pushes it as a string.
static void push_module_source(lua_State *L, FILE *file, const char *path) {
    luaL_Buffer source;
    luaL_buffinit(L, &source);
    size_t total = 0;
    for (;;) {
        char *room = luaL_prepbuffsize(&source, CLUA_CHUNK_PIECE);
        size_t got = fread(room, 1, CLUA_CHUNK_PIECE, file);
        luaL_addsize(&source, got);
        total += got;
        if (total > CLUA_MAXIMUM_CHUNK) {
            fclose(file);
            luaL_error(L, "require: %s is larger than %d bytes", path, CLUA_MAXIMUM_CHUNK);
        }
        if (got < CLUA_CHUNK_PIECE) break;
    }
    int failed = ferror(file);
    fclose(file);
    if (failed) luaL_error(L, "require: cannot read %s", path);
    luaL_pushresult(&source);
}

int clua_sandbox_require(lua_State *L) {
    if (clua_runtime_of(L)->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    const char *name = luaL_checkstring(L, 1);
    if (!valid_module_name(name)) {
        return luaL_error(L, "require: invalid module name '%s' (letters, digits, '_' and '.' only)", name);
    }
    lua_getfield(L, LUA_REGISTRYINDEX, loaded_key);
    int loaded = lua_gettop(L);
    if (lua_getfield(L, loaded, name) != LUA_TNIL) return 1;
    lua_pop(L, 1);

    luaL_Buffer relative;
    luaL_buffinit(L, &relative);
    for (const char *c = name; *c; c++) luaL_addchar(&relative, *c == '.' ? '/' : *c);
    luaL_addstring(&relative, ".lua");
    luaL_pushresult(&relative);
    const char *file = lua_tostring(L, -1);

    lua_getfield(L, LUA_REGISTRYINDEX, search_path_key);
    int directories = lua_gettop(L);
    lua_Integer count = lua_istable(L, directories) ? luaL_len(L, directories) : 0;
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, directories, i);
        const char *path = lua_pushfstring(L, "%s/%s", lua_tostring(L, -1), file);
        FILE *probe = fopen(path, "r");
        if (probe == NULL) {
            lua_pop(L, 2);
            continue;
        }
        push_module_source(L, probe, path);
        size_t length;
        const char *text = lua_tolstring(L, -1, &length);
        // As for a file Lua loads: a first line starting with '#' is skipped (its newline kept).
        if (length > 0 && text[0] == '#') {
            const char *newline = memchr(text, '\n', length);
            size_t skipped = newline ? (size_t)(newline - text) : length;
            text += skipped;
            length -= skipped;
        }
        lua_pushfstring(L, "@%s", path);
        int status = load_text(L, text, length, lua_tostring(L, -1));
        if (status != LUA_OK) return lua_error(L);
        lua_pushstring(L, name);
        lua_pushstring(L, path);
        lua_call(L, 2, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, loaded, name);
        return 1;
    }
    return luaL_error(L, "module '%s' not found in the script search path", name);
}

void clua_set_search_path(lua_State *L, const char *const *directories, int count) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->host_depth++;
    lua_createtable(L, count, 0);
    for (int i = 0; i < count; i++) {
        lua_pushstring(L, directories[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, search_path_key);
    runtime->host_depth--;
}

/// Creates the table of loaded modules (called once by the sandbox).
void clua_init_loaded_modules(lua_State *L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, loaded_key);
}

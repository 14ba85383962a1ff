// SPDX-License-Identifier: MIT
// load (text chunks from strings and reader functions), require and the package table, as
// lbaselib.c and loadlib.c do them. require finds the standard libraries in package.loaded and
// other modules as Lua files along package.path ("./?.lua;./?/init.lua"); C modules are not
// searched.
#include <cassert>
#include <fstream>
#include <sstream>

#include "binary_chunk.hpp"
#include "interp_internal.hpp"
#include "libutil.hpp"

namespace replay {

namespace {

constexpr char kBinarySignature = '\x1b';  // LUA_SIGNATURE[0]: a precompiled chunk starts so

// Calls a load reader once, not yieldable, with the message handler in force (Lua's protected
// parser keeps it). Returns false with `err` set when the reader raised an error.
bool call_reader(Interp& in, const Value& reader, Values& out, Value& err) {
  LuaThread& thread = in.thread_state();
  ProtFrame frame;
  frame.prev = thread.prot;
  frame.handler = thread.prot != nullptr ? thread.prot->handler : Value();
  frame.lua_depth = thread.lua_depth;
  struct Pop {
    LuaThread& t;
    ProtFrame* prev;
    ~Pop() { t.prot = prev; }
  } pop{thread, thread.prot};
  thread.prot = &frame;
  try {
    in.call_from_native(reader, Values(), out, false);
  } catch (LuaError& e) {
    err = std::move(e.value);
    return false;
  }
  return true;
}

// Lua's generic_reader: appends the next piece to `text`; nil or an empty string ends the chunk
// (`done`). Returns false with `err` set.
bool read_piece(Interp& in, const Value& reader, std::string& text, bool& done, Value& err) {
  Values out;
  if (!call_reader(in, reader, out, err)) return false;
  const Value piece = out.empty() ? Value() : out[0];
  if (!piece.is_nil() && !piece.is_string() && !piece.is_number()) {
    err = Value::string(in.where(1) + "reader function must return a string");
    return false;
  }
  const std::string s = piece.is_nil()      ? ""
                        : piece.is_string() ? piece.str()
                                            : number_to_string(piece);
  done = s.empty();
  text += s;
  return true;
}

// checkmode: Lua looks at the first byte only, before it reads any more of the chunk.
bool mode_allows(const std::string& mode, const std::string& text, Value& err) {
  const char* kind = !text.empty() && text[0] == kBinarySignature ? "binary" : "text";
  if (mode.find(kind[0]) != std::string::npos) return true;
  err = Value::string(std::string("attempt to load a ") + kind + " chunk (mode is '" + mode + "')");
  return false;
}

// The whole chunk a reader gives, its mode checked after the first piece. Returns false with
// `err` set.
bool read_chunk(Interp& in, const Value& reader, const std::string& mode, std::string& text,
                Value& err) {
  bool done = false;
  if (!read_piece(in, reader, text, done, err) || !mode_allows(mode, text, err)) return false;
  while (!done)
    if (!read_piece(in, reader, text, done, err)) return false;
  return true;
}

void push_failure(CallArgs& a, Value message) {
  a.results.push_back(Value());
  a.results.push_back(std::move(message));
}

// luaB_load: load(chunk [, chunkname [, mode [, env]]]).
void lib_load(Interp& in, CallArgs& a) {
  const bool from_string = a[0].is_string() || a[0].is_number();
  const std::string mode = opt_string(in, a, 2, "bt");
  std::string text;
  std::string source_name;
  Value err;
  if (from_string) {
    text = check_string(in, a, 0);
    source_name = opt_string(in, a, 1, text);
    if (!mode_allows(mode, text, err)) return push_failure(a, std::move(err));
  } else {
    source_name = opt_string(in, a, 1, "=(load)");
    if (!a[0].is_function()) in.type_error_arg(1, "function", a.size() > 0 ? &a[0] : nullptr);
    if (!read_chunk(in, a[0], mode, text, err)) return push_failure(a, std::move(err));
  }
  const Value env = arg_missing(a, 3) ? Value::object(in.globals()) : a[3];
  Value error;
  Value fn;
  if (!text.empty() && text[0] == kBinarySignature) {
    std::string undump_error;
    fn = undump(in, text, source_name, env, undump_error);
    error = Value::string(undump_error);
  } else {
    fn = in.load_text(source_name, text, env, error);
  }
  if (fn.is_nil()) return push_failure(a, std::move(error));
  a.results.push_back(std::move(fn));
}

Table* package_field_table(Interp& in, const char* field) {
  Value package = in.globals()->get_str("package");
  Value t = package.is_table() ? package.table()->get_str(field) : Value();
  if (!t.is_table()) in.lib_error(std::string("'package.") + field + "' must be a table");
  return t.table();
}

// searchpath: the first file along `path` that opens, or "" with `tried` listing the others.
std::string search_path(const std::string& name, const std::string& path, std::string& tried) {
  std::string stem = name;
  for (char& c : stem)
    if (c == '.') c = '/';
  std::stringstream templates(path);
  std::string tmpl;
  while (std::getline(templates, tmpl, ';')) {
    if (tmpl.empty()) continue;
    std::string file;
    for (char c : tmpl) file += c == '?' ? stem : std::string(1, c);
    if (std::ifstream(file, std::ios::binary)) return file;
    tried += "\n\tno file '" + file + "'";
  }
  return "";
}

// A Lua module file's loader: its chunk, parsed ("error loading module" if it does not compile).
Value load_module_file(Interp& in, const std::string& name, const std::string& file) {
  std::ifstream stream(file, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  Value error;
  Value loader = in.load_text("@" + file, text.str(), Value::object(in.globals()), error);
  if (loader.is_nil()) {
    // lua_tostring of the message; luaL_error prints a non-string as "(null)"
    const std::string shown = error.is_string()   ? error.str()
                              : error.is_number() ? number_to_string(error)
                                                  : "(null)";
    in.lib_error("error loading module '" + name + "' from file '" + file + "':\n\t" + shown);
  }
  return loader;
}

// findloader: package.preload, then a Lua file along package.path. Lua calls each searcher with
// lua_call, so the lookup, the search and the module file's parse run one C level above require.
void find_loader(Interp& in, const std::string& name, Value& loader, Value& loader_data) {
  CLevel searcher_call(in);
  const Value key = Value::string(name);
  Value preloader = package_field_table(in, "preload")->get(key);
  if (!preloader.is_nil()) {
    loader = std::move(preloader);
    loader_data = Value::string(":preload:");
    return;
  }
  Value path = in.globals()->get_str("package").table()->get_str("path");
  if (!path.is_string()) in.lib_error("'package.path' must be a string");
  std::string tried = "\n\tno field package.preload['" + name + "']";
  const std::string file = search_path(name, path.str(), tried);
  if (file.empty()) in.lib_error("module '" + name + "' not found:" + tried);
  loader = load_module_file(in, name, file);
  loader_data = Value::string(file);
}

// ll_require: package.loaded, else the loader find_loader finds, called with (name, data).
void lib_require(Interp& in, CallArgs& a) {
  const std::string name = check_string(in, a, 0);
  Table* loaded = package_field_table(in, "loaded");
  const Value key = Value::string(name);
  Value module = loaded->get(key);
  if (module.truthy()) return a.results.push_back(module);
  Value loader, loader_data;
  find_loader(in, name, loader, loader_data);
  Values out;
  in.call_from_native(loader, Values{key, loader_data}, out, true);
  module = out.empty() ? Value() : out[0];
  if (!module.is_nil()) loaded->set(key, module);
  if (loaded->get(key).is_nil()) loaded->set(key, Value::boolean(true));
  a.results.push_back(loaded->get(key));
  a.results.push_back(std::move(loader_data));
}

}  // namespace

void open_package(Interp& in) {
  Table* g = in.globals();
  in.register_native(g, "load", lib_load, "load");
  in.register_native(g, "require", lib_require, "require");
  Value package = g->get_str("package");
  assert(package.is_table());
  Table* p = package.table();
  auto* loaded = new Table();
  p->set(Value::string("loaded"), Value::object(loaded));
  p->set(Value::string("preload"), Value::object(new Table()));
  p->set(Value::string("path"), Value::string("./?.lua;./?/init.lua"));
  for (const char* lib :
       {"_G", "package", "coroutine", "table", "io", "os", "string", "math", "utf8", "debug"})
    loaded->set(Value::string(lib), g->get_str(lib));
}

}  // namespace replay

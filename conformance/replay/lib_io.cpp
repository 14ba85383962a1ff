// SPDX-License-Identifier: MIT
// The io library subset: io.write, the standard files as FILE* userdata (liolib.c's metatable:
// __name, __index, __tostring, __gc, __close), io.input and io.type. Files are never opened or
// closed: a file name, and every other io function or method, is outside the subset.
#include <cinttypes>
#include <cstdio>

#include "libutil.hpp"

namespace replay {

namespace {

enum class StdFile : int { In, Out, Err };

// liolib.c's tofile (luaL_checkudata against the FILE* metatable): "FILE* expected, got X".
Userdata* check_file(Interp& in, const CallArgs& a, std::size_t i) {
  const Value& v = a[i];
  const Value& meta = in.library_state().file_meta;
  if (!v.is_userdata() || !raw_equal(v.userdata()->meta, meta))
    in.type_error_arg(static_cast<int>(i) + 1, "FILE*", arg_missing(a, i) ? nullptr : &v);
  return v.userdata();
}

// Numbers are written as lua_Number or lua_Integer formats, strings as they are.
std::string written_text(Interp& in, CallArgs& a, std::size_t first) {
  std::string text;
  for (std::size_t i = first; i < a.size(); ++i) {
    const Value& v = a[i];
    if (v.is_int()) {
      text += std::to_string(v.as_int());
    } else if (v.is_float()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.14g", v.as_float());
      text += buf;
    } else {
      text += check_string(in, a, i);
    }
  }
  return text;
}

Value std_file(Interp& in, StdFile which) {
  return in.library_state().std_files[static_cast<int>(which)];
}

// io.write(...): to the standard output (the subset has no io.output); returns the file.
void io_write(Interp& in, CallArgs& a) {
  in.out() << written_text(in, a, 0);
  a.results.push_back(std_file(in, StdFile::Out));
}

// file:write(...): io.stdout and io.stderr are written to; io.stdin fails as fwrite does on it.
void file_write(Interp& in, CallArgs& a) {
  Userdata* f = check_file(in, a, 0);
  const std::string text = written_text(in, a, 1);
  if (f->payload == static_cast<int>(StdFile::In)) {
    a.results.push_back(Value());
    a.results.push_back(Value::string("Bad file descriptor"));  // luaL_fileresult with EBADF
    a.results.push_back(Value::integer(9));
    return;
  }
  (f->payload == static_cast<int>(StdFile::Out) ? in.out() : in.err()) << text;
  a.results.push_back(a[0]);
}

// io.input([file]): returns the current input file, after making `file` the current one.
void io_input(Interp& in, CallArgs& a) {
  auto& current = in.library_state().std_files[static_cast<int>(StdFile::In)];
  if (!a[0].is_nil()) {
    if (a[0].is_string() || a[0].is_number()) in.unsupported("io.input of a file name");
    check_file(in, a, 0);
    current = a[0];
  }
  a.results.push_back(current);
}

// io.type(v): "file" for a file, fail for anything else.
void io_type(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  const bool file =
      a[0].is_userdata() && raw_equal(a[0].userdata()->meta, in.library_state().file_meta);
  a.results.push_back(file ? Value::string("file") : Value());
}

void file_tostring(Interp& in, CallArgs& a) {
  Userdata* f = check_file(in, a, 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "file (0x%" PRIxPTR ")", reinterpret_cast<std::uintptr_t>(f));
  a.results.push_back(Value::string(buf));
}

// __gc and __close: the standard files are never closed (liolib.c's io_noclose).
void file_gc(Interp& in, CallArgs& a) { check_file(in, a, 0); }

Value new_std_file(Interp& in, StdFile which) {
  auto* f = new Userdata();
  f->meta = in.library_state().file_meta;
  f->payload = static_cast<int>(which);
  return Value::object(f);
}

Table* file_metatable(Interp& in) {
  auto* methods = new Table();
  in.register_native(methods, "write", file_write, nullptr);
  add_unsupported(
      in, methods,
      {"file:read", "file:lines", "file:close", "file:flush", "file:seek", "file:setvbuf"});
  auto* meta = new Table();
  meta->set(Value::string("__name"), Value::string("FILE*"));
  meta->set(Value::string("__index"), Value::object(methods));
  in.register_native(meta, "__tostring", file_tostring, nullptr);
  in.register_native(meta, "__gc", file_gc, nullptr);
  in.register_native(meta, "__close", file_gc, nullptr);
  return meta;
}

}  // namespace

void open_io(Interp& in) {
  auto& state = in.library_state();
  state.file_meta = Value::object(file_metatable(in));
  auto* io = new Table();
  in.globals()->set(Value::string("io"), Value::object(io));
  static const char* const kNames[] = {"stdin", "stdout", "stderr"};
  for (StdFile which : {StdFile::In, StdFile::Out, StdFile::Err}) {
    Value f = new_std_file(in, which);
    state.std_files[static_cast<int>(which)] = f;
    io->set(Value::string(kNames[static_cast<int>(which)]), f);
  }
  in.register_native(io, "write", io_write, "io.write");
  in.register_native(io, "input", io_input, "io.input");
  in.register_native(io, "type", io_type, "io.type");
  add_unsupported(
      in, io,
      {"io.read", "io.open", "io.lines", "io.close", "io.output", "io.popen", "io.tmpfile"});
}

}  // namespace replay
